package org.gossipdrive.tests.drive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.ReplicaOptions;
import org.gossipdrive.engine.commit.ChunkSource;
import org.gossipdrive.engine.hash.ChunkId;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer's change is what a program on the mount reads at once, even when the kernel cached the
 * file's attributes a moment before. Regression: the kernel answered reads from the size it had
 * cached (for attr_timeout), so a file that had just grown through a peer's save read as empty, and
 * a save built on that emptiness.
 *
 * <p>The peer here is a second replica applying records the way the network layer does ({@code
 * Replica.applyRemote}), so each change lands well within the kernel's one-second cache.
 */
class PeerChangesTest {
  private static final DeviceId PEER = new DeviceId("PEER");

  @TempDir Path dir;
  private MountedReplica drive;
  private Replica peer;

  @BeforeEach
  void start() throws IOException {
    peer = Replica.open(dir.resolve("peer"), ReplicaOptions.defaults(PEER));
    drive = new MountedReplica(dir.resolve("drive"));
  }

  @AfterEach
  void stop() {
    try {
      if (drive != null) {
        drive.close();
      }
    } finally {
      peer.close();
    }
  }

  @Test
  void aFileThatGrewOnAPeerReadsWholeRightAfterAStat() throws IOException {
    Random random = new Random(7);
    for (int round = 0; round < 5; round++) {
      String name = "grown-" + round + ".bin";
      FileVersion empty = write(name, new byte[0]);
      deliver();
      Path file = drive.mountPoint.resolve(name);
      assertEquals(0, Files.size(file), "the empty version first");

      byte[] content = new byte[200_000 + random.nextInt(100_000)];
      random.nextBytes(content);
      peer.replaceContentAsync(
              empty.id(), new ByteArrayInputStream(content), System.currentTimeMillis(), false)
          .join();
      deliver();

      assertArrayEquals(content, Files.readAllBytes(file), "round " + round + ": read");
      assertEquals(content.length, Files.size(file), "round " + round + ": stat after the read");
    }
  }

  @Test
  void aSaveRenamedOverByAPeerReadsWholeRightAfterAStat() throws IOException {
    Random random = new Random(11);
    for (int round = 0; round < 5; round++) {
      String name = "doc-" + round + ".txt";
      write(name, "old".getBytes());
      deliver();
      Path file = drive.mountPoint.resolve(name);
      assertEquals("old", Files.readString(file));
      assertEquals(3, Files.size(file));

      byte[] content = new byte[150_000];
      random.nextBytes(content);
      FileVersion temporary = write(name + "@", content);
      peer.move(temporary.id(), FileId.ROOT, name, true);
      deliver();

      assertArrayEquals(content, Files.readAllBytes(file), "round " + round);
    }
  }

  /**
   * A program that keeps a file open (a viewer, {@code tail -f}, a game engine watching assets)
   * reads a peer's change through the descriptor it opened before. Regression: the open file kept
   * its look at the old version and the kernel kept its pages, so the old bytes came back.
   */
  @Test
  void aDescriptorOpenedBeforeAPeersChangeReadsTheChange() throws Exception {
    Random random = new Random(13);
    byte[] before = new byte[300_000];
    random.nextBytes(before);
    FileVersion first = write("watched.bin", before);
    deliver();
    Path file = drive.mountPoint.resolve("watched.bin");
    try (var channel = java.nio.channels.FileChannel.open(file)) {
      assertArrayEquals(before, readAll(channel, before.length + 1), "the first version");

      byte[] after = new byte[400_000];
      random.nextBytes(after);
      peer.replaceContentAsync(
              first.id(), new ByteArrayInputStream(after), System.currentTimeMillis(), false)
          .join();
      deliver();

      Eventually.await(
          () -> java.util.Arrays.equals(after, readAll(channel, after.length + 1)),
          java.time.Duration.ofSeconds(3),
          "the peer's change through a descriptor opened before it");
      assertArrayEquals(after, readAll(channel, after.length + 1));
    }
  }

  /** Everything a positional read of the descriptor returns, up to {@code limit} bytes. */
  private static byte[] readAll(java.nio.channels.FileChannel channel, int limit) {
    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(limit);
    try {
      while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {}
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return java.util.Arrays.copyOf(buffer.array(), buffer.position());
  }

  private FileVersion write(String name, byte[] content) throws IOException {
    return peer.writeFile(FileId.ROOT, name, new ByteArrayInputStream(content), 0644, false)
        .only()
        .version();
  }

  /** Applies every record the mounted replica lacks from the peer, in the author's order. */
  private void deliver() throws IOException {
    long have = drive.replica.digest().getOrDefault(PEER, 0L);
    ChunkSource chunks =
        (ids, sink) -> {
          for (ChunkId id : ids) {
            sink.accept(id, peer.chunkStore().read(id));
          }
        };
    for (FileVersion record : peer.recordsAfter(PEER, have, 10_000)) {
      drive.replica.applyRemote(record, chunks);
    }
  }
}
