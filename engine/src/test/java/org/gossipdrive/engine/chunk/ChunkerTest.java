package org.gossipdrive.engine.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChunkerTest {
  private static final FastCdcChunker CDC = new FastCdcChunker(ChunkingParams.DEFAULT);

  /** A chunk identified by its content, cheaply (the real store uses BLAKE3). */
  private record Piece(int length, int contentHash) {}

  private static List<Piece> cut(Chunker chunker, byte[] data) {
    List<Piece> pieces = new ArrayList<>();
    int offset = 0;
    while (offset < data.length) {
      int length = chunker.cut(data, offset, data.length - offset);
      pieces.add(
          new Piece(length, Arrays.hashCode(Arrays.copyOfRange(data, offset, offset + length))));
      offset += length;
    }
    return pieces;
  }

  private static long bytesNotIn(List<Piece> after, List<Piece> before) {
    Set<Piece> old = new HashSet<>(before);
    return after.stream().filter(p -> !old.contains(p)).mapToLong(Piece::length).sum();
  }

  private static byte[] random(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  @Test
  void chunksRespectBoundsAndCoverTheInput() {
    byte[] data = random(64 << 20, 1);
    List<Piece> pieces = cut(CDC, data);
    assertEquals(data.length, pieces.stream().mapToLong(Piece::length).sum());
    for (int i = 0; i < pieces.size() - 1; i++) {
      int length = pieces.get(i).length();
      assertTrue(
          length >= ChunkingParams.DEFAULT.minSize() && length <= ChunkingParams.DEFAULT.maxSize(),
          "chunk " + i + " is " + length);
    }
    double average = (double) data.length / pieces.size();
    assertTrue(average > 512 << 10 && average < 2 << 20, "average chunk " + average);
  }

  @Test
  void cuttingIsDeterministic() {
    byte[] data = random(16 << 20, 2);
    assertEquals(cut(CDC, data), cut(CDC, data.clone()));
  }

  @Test
  void editingFourMiBInTheMiddleChangesAboutEightMiBAtMost() {
    byte[] original = random(256 << 20, 3);
    byte[] edited = original.clone();
    byte[] patch = random(4 << 20, 4);
    System.arraycopy(patch, 0, edited, 128 << 20, patch.length);
    long changed = bytesNotIn(cut(CDC, edited), cut(CDC, original));
    assertTrue(changed >= 4 << 20, "at least the edit itself changed: " + changed);
    assertTrue(changed <= 8 << 20, "changed " + changed + " bytes of chunks for a 4 MiB edit");
  }

  @Test
  void insertingBytesOnlyDisturbsNearbyChunks() {
    byte[] original = random(128 << 20, 5);
    byte[] inserted = new byte[original.length + 100];
    int at = 40 << 20;
    System.arraycopy(original, 0, inserted, 0, at);
    System.arraycopy(random(100, 6), 0, inserted, at, 100);
    System.arraycopy(original, at, inserted, at + 100, original.length - at);
    long changed = bytesNotIn(cut(CDC, inserted), cut(CDC, original));
    assertTrue(
        changed <= 2L * ChunkingParams.DEFAULT.maxSize(),
        "insert of 100 bytes changed " + changed + " bytes");
  }

  @Test
  void fixedSizeChunkingShiftsEverythingAfterAnInsert() {
    FixedSizeChunker fixed = new FixedSizeChunker(1 << 20);
    byte[] original = random(32 << 20, 7);
    byte[] inserted = new byte[original.length + 1];
    System.arraycopy(original, 0, inserted, 1, original.length);
    assertEquals(
        cut(fixed, original).size(),
        cut(fixed, original).stream().filter(p -> p.length() == 1 << 20).count());
    assertTrue(bytesNotIn(cut(fixed, inserted), cut(fixed, original)) > 31 << 20);
  }

  @Test
  void invalidParametersAreRefused() {
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> new ChunkingParams(1024, 1000, 4096));
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> new ChunkingParams(4096, 1024, 8192));
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> new ChunkingParams(1024, 4096, 64 << 20));
  }
}
