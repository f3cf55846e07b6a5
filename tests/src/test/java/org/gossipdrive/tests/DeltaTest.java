package org.gossipdrive.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.ReplicaOptions;
import org.gossipdrive.engine.hash.ChunkId;
import org.gossipdrive.engine.hash.Hashing;
import org.gossipdrive.engine.read.VersionReader;
import org.gossipdrive.engine.tree.ChunkRef;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileVersion;
import org.gossipdrive.tests.data.SyntheticContent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Edits of a 1 GiB file store only the chunks around the edit, with the default chunking. */
class DeltaTest {
  private static final long GIB = 1L << 30;
  private static final long SEED = 77;

  @TempDir Path store;

  private static long newChunks(FileVersion after, FileVersion before) {
    Set<ChunkRef> old = new HashSet<>(before.chunks());
    return after.chunks().stream().filter(c -> !old.contains(c)).distinct().count();
  }

  private static long newBytes(FileVersion after, FileVersion before) {
    Set<ChunkId> old = new HashSet<>();
    before.chunks().forEach(c -> old.add(c.id()));
    Set<ChunkId> counted = new HashSet<>();
    return after.chunks().stream()
        .filter(c -> !old.contains(c.id()) && counted.add(c.id()))
        .mapToLong(ChunkRef::length)
        .sum();
  }

  @Test
  void editsOfABigFileStoreOnlyNearbyChunks() throws IOException {
    assertEquals(
        "native", Hashing.blake3().name(), "this test runs with the bundled native BLAKE3");
    try (Replica replica = Replica.open(store, ReplicaOptions.defaults(new DeviceId("DELTA")))) {
      FileVersion original =
          replica
              .writeFile(FileId.ROOT, "scene.blend", SyntheticContent.random(SEED, GIB), 0644, true)
              .only()
              .version();
      assertEquals(GIB, original.size());

      long editAt = GIB / 2;
      FileVersion edited =
          replica
              .writeFile(
                  FileId.ROOT,
                  "scene.blend",
                  SyntheticContent.overwritten(SEED, GIB, editAt, 4 << 20),
                  0644,
                  true)
              .only()
              .version();
      long editDelta = newBytes(edited, original);
      System.out.printf(
          "4 MiB overwrite in 1 GiB: %.2f MiB of new chunks (%d chunks in file)%n",
          editDelta / 1048576.0, edited.chunks().size());
      assertTrue(editDelta >= 4 << 20, "the edit itself must be new: " + editDelta);
      assertTrue(editDelta <= 8 << 20, "a 4 MiB edit stored " + editDelta + " bytes of new chunks");
      long editChunks = newChunks(edited, original);
      assertTrue(
          editChunks <= 8,
          "a 4 MiB edit stored " + editChunks + " new chunks out of " + edited.chunks().size());

      FileVersion inserted =
          replica
              .writeFile(
                  FileId.ROOT,
                  "scene.blend",
                  SyntheticContent.inserted(SEED, GIB, 300L << 20, 100),
                  0644,
                  true)
              .only()
              .version();
      long insertDelta = newBytes(inserted, original);
      System.out.printf(
          "100-byte insert in 1 GiB: %.2f MiB of new chunks%n", insertDelta / 1048576.0);
      assertTrue(
          insertDelta <= 8 << 20,
          "a 100-byte insert stored " + insertDelta + " bytes of new chunks");
      long shared = inserted.chunks().stream().filter(c -> original.chunks().contains(c)).count();
      assertTrue(
          shared >= original.chunks().size() - 8,
          "chunks after the insert must not shift: only " + shared + " shared");

      // the stored edit reads back exactly
      VersionReader reader = replica.reader(edited);
      byte[] window = new byte[6 << 20];
      long from = editAt - (1 << 20);
      assertEquals(window.length, reader.read(from, window, 0, window.length));
      byte[] expected = new byte[window.length];
      try (var source = SyntheticContent.overwritten(SEED, GIB, editAt, 4 << 20)) {
        source.skipNBytes(from);
        source.readNBytes(expected, 0, expected.length);
      }
      assertArrayEquals(expected, window);
    }
  }
}
