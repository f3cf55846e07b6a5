package org.gossipdrive.engine.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gossipdrive.engine.codec.CorruptRecordException;
import org.gossipdrive.engine.hash.ChunkId;
import org.junit.jupiter.api.Test;

/** Holes in a version's extents: their encoding, its limits, and records written before holes. */
class HoleCodecTest {
  private static final ChunkId DATA = ChunkId.hashOf(new byte[] {1}, 0, 1);
  private static final long PETABYTE = 1L << 50;

  private static final FileVersion SAMPLE = VersionCodecTest.sample();

  private static FileVersion withExtents(List<ChunkRef> extents) {
    FileVersion sample = SAMPLE;
    long size = extents.stream().mapToLong(ChunkRef::length).sum();
    return sample.withContent(extents, size, sample.mtimeNanos());
  }

  @Test
  void aPetabyteOfHoleRoundTripsInAFewBytes() {
    FileVersion v =
        withExtents(
            List.of(new ChunkRef(DATA, 10), ChunkRef.hole(PETABYTE), new ChunkRef(DATA, 10)));
    byte[] encoded = VersionCodec.encode(v);
    assertEquals(2, encoded[0], "a version with holes is format 2");
    assertTrue(encoded.length < 300, encoded.length + " bytes");
    FileVersion back = VersionCodec.decode(encoded, "test");
    assertEquals(v.chunks(), back.chunks());
    assertEquals(PETABYTE + 20, back.size());
    assertEquals(20, back.allocatedBytes());
    assertEquals(List.of(new ChunkRef(DATA, 10), new ChunkRef(DATA, 10)), back.storedChunks());
    assertArrayEquals(encoded, VersionCodec.encode(back));
  }

  @Test
  void aVersionWithoutHolesKeepsFormatOneSoOldSignaturesStillVerify() {
    FileVersion v = VersionCodecTest.sample();
    byte[] encoded = VersionCodec.encode(v);
    assertEquals(1, encoded[0]);
    assertArrayEquals(encoded, VersionCodec.encode(VersionCodec.decode(encoded, "test")));
  }

  @Test
  void neighbouringHolesMergeSoOneContentHasOneEncoding() {
    FileVersion split = withExtents(List.of(ChunkRef.hole(5), ChunkRef.hole(7)));
    assertEquals(List.of(ChunkRef.hole(12)), split.chunks());
    assertArrayEquals(
        VersionCodec.encode(withExtents(List.of(ChunkRef.hole(12)))), VersionCodec.encode(split));
  }

  @Test
  void twoHolesInARowOnTheWireAreRefused() {
    byte[] encoded = VersionCodec.encode(withExtents(List.of(ChunkRef.hole(12))));
    // Rewrite the one hole (kind 1 + 8-byte length) as two holes of 6.
    int count = indexOf(encoded, new byte[] {0, 0, 0, 1, 1}); // count 1, then kind 1
    byte[] forged = new byte[encoded.length + 9];
    System.arraycopy(encoded, 0, forged, 0, count);
    java.nio.ByteBuffer out = java.nio.ByteBuffer.wrap(forged, count, 4 + 18);
    out.putInt(2).put((byte) 1).putLong(6).put((byte) 1).putLong(6);
    System.arraycopy(encoded, count + 13, forged, count + 22, encoded.length - count - 13);
    CorruptRecordException e =
        assertThrows(CorruptRecordException.class, () -> VersionCodec.decode(forged, "v"));
    assertTrue(e.getMessage().contains("two holes in a row"), e.getMessage());
  }

  @Test
  void extentsPastTheLargestFileAreRefused() {
    byte[] encoded = VersionCodec.encode(withExtents(List.of(ChunkRef.hole(PETABYTE))));
    int at = indexOf(encoded, longBytes(PETABYTE));
    java.nio.ByteBuffer.wrap(encoded, at, 8).putLong(FileVersion.MAX_SIZE + 1);
    assertThrows(CorruptRecordException.class, () -> VersionCodec.decode(encoded, "v"));
    assertThrows(
        IllegalArgumentException.class,
        () -> withExtents(List.of(ChunkRef.hole(FileVersion.MAX_SIZE), ChunkRef.hole(1))));
  }

  @Test
  void aChunkNamedLikeAHoleIsRefused() {
    FileVersion sample = VersionCodecTest.sample();
    byte[] encoded = VersionCodec.encode(sample);
    byte[] id = sample.chunks().getFirst().id().toBytes();
    int at = indexOf(encoded, id);
    java.util.Arrays.fill(encoded, at, at + 32, (byte) 0);
    CorruptRecordException e =
        assertThrows(CorruptRecordException.class, () -> VersionCodec.decode(encoded, "v"));
    assertTrue(e.getMessage().contains("named like a hole"), e.getMessage());
  }

  private static byte[] longBytes(long value) {
    return java.nio.ByteBuffer.allocate(8).putLong(value).array();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
