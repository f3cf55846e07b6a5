package org.gossipdrive.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.gossipdrive.engine.chunk.ChunkingParams;
import org.gossipdrive.engine.chunk.CorruptChunkException;
import org.gossipdrive.engine.chunk.FastCdcChunker;
import org.gossipdrive.engine.commit.CommitResult;
import org.gossipdrive.engine.commit.PendingUpload;
import org.gossipdrive.engine.hash.ChunkId;
import org.gossipdrive.engine.maintenance.Problem;
import org.gossipdrive.engine.maintenance.VerifyReport;
import org.gossipdrive.engine.read.VersionReader;
import org.gossipdrive.engine.store.ReplicaDb;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileType;
import org.gossipdrive.engine.tree.FileVersion;
import org.gossipdrive.engine.tree.TreeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicaTest {
  @TempDir Path dir;
  private Replica replica;

  /** Small chunks so small test files still span many chunks. */
  private final ReplicaOptions options =
      ReplicaOptions.defaults(new DeviceId("TEST-DEVICE"))
          .withChunker(new FastCdcChunker(new ChunkingParams(1024, 4096, 16384)));

  @BeforeEach
  void open() {
    replica = Replica.open(dir, options);
  }

  @AfterEach
  void close() {
    replica.close();
  }

  private void reopen() {
    replica.close();
    replica = Replica.open(dir, options);
  }

  static byte[] random(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  private FileVersion write(FileId parent, String name, byte[] content) throws IOException {
    return replica
        .writeFile(parent, name, new ByteArrayInputStream(content), 0644, false)
        .only()
        .version();
  }

  private byte[] readAll(FileVersion version) throws IOException {
    try (var in = replica.stream(version)) {
      return in.readAllBytes();
    }
  }

  @Test
  void aClosedReplicaRefusesCallsInsteadOfCrashingTheJvm() throws IOException {
    FileVersion file = write(FileId.ROOT, "x", random(100, 1));
    replica.close();
    var e =
        assertThrows(
            org.gossipdrive.engine.store.StoreException.class, () -> replica.head(file.id()));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
    replica.close(); // twice is harmless
    replica = Replica.open(dir, options);
  }

  @Test
  void writesAndReadsBackAcrossReopen() throws IOException {
    byte[] content = random(300_000, 1);
    FileVersion written = write(FileId.ROOT, "photo.raw", content);
    assertTrue(written.chunks().size() > 10);
    reopen();
    FileVersion found = replica.resolve("/photo.raw").orElseThrow();
    assertEquals(written.id(), found.id());
    assertArrayEquals(content, readAll(found));
    assertTrue(replica.verify().ok());
  }

  @Test
  void aChunkPushedAheadIsCheckedAndThenKeptForTheRecordThatUsesIt() throws IOException {
    byte[] content = random(2_000, 4); // one chunk
    var chunk = new org.gossipdrive.engine.chunk.ChunkCodec().encode(content, 0, content.length);
    byte[] forged = chunk.stored().clone();
    forged[forged.length - 1] ^= 1;
    assertThrows(
        org.gossipdrive.engine.chunk.CorruptChunkException.class,
        () -> replica.storeChunkAhead(chunk.id(), forged));
    assertEquals(false, replica.chunkStore().contains(chunk.id()), "a forged push is not kept");
    assertEquals(true, replica.storeChunkAhead(chunk.id(), chunk.stored()));
    assertEquals(false, replica.storeChunkAhead(chunk.id(), chunk.stored()), "held already");
    // A commit that uses it flushes it first: it survives a reopen with the version.
    FileVersion file = write(FileId.ROOT, "pushed.bin", content);
    reopen();
    assertArrayEquals(content, readAll(replica.resolve("/pushed.bin").orElseThrow()));
    assertEquals(chunk.id(), file.chunks().getFirst().id());
    assertTrue(replica.verify().ok());
  }

  @Test
  void verifyReportsHowFarItGot() throws IOException {
    assertEquals("idle", replica.verifyProgress().phase());
    write(FileId.ROOT, "a.bin", random(300_000, 2));
    write(FileId.ROOT, "b.bin", random(200_000, 3));
    var report = replica.verify();
    var progress = replica.verifyProgress();
    assertEquals(false, progress.running());
    assertEquals("done", progress.phase());
    assertEquals(report.chunksChecked(), progress.done());
    assertEquals(report.chunksChecked(), progress.total());
    assertEquals(500_000, progress.bytes());
  }

  @Test
  void randomAccessReadsMatchTheContentAndStopAtTheEnd() throws IOException {
    byte[] content = random(200_000, 2);
    VersionReader reader = replica.reader(write(FileId.ROOT, "f", content));
    Random random = new Random(3);
    for (int i = 0; i < 500; i++) {
      int offset = random.nextInt(content.length);
      int length = random.nextInt(70_000);
      byte[] buffer = new byte[length];
      int n = reader.read(offset, buffer, 0, length);
      assertEquals(Math.min(length, content.length - offset), n);
      assertArrayEquals(
          java.util.Arrays.copyOfRange(content, offset, offset + n),
          java.util.Arrays.copyOf(buffer, n));
    }
    assertEquals(0, reader.read(content.length, new byte[10], 0, 10), "read at end of file");
    assertEquals(
        0, reader.read(content.length + 12345L, new byte[10], 0, 10), "read past end of file");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> reader.read(-1, new byte[10], 0, 10));
    assertTrue(e.getMessage().contains("negative"));
  }

  @Test
  void identicalContentIsStoredOnceAndFreedWhenNoVersionUsesIt() throws IOException {
    byte[] content = random(2_000, 4); // one chunk
    FileVersion a = write(FileId.ROOT, "a.bin", content);
    FileVersion b = write(FileId.ROOT, "b.bin", content);
    assertEquals(a.chunks(), b.chunks());
    for (var chunk : a.chunks()) {
      assertEquals(2, replica.chunkStore().refCount(chunk.id()), "one stored copy, two references");
    }
    replica.delete(a.id());
    replica.delete(b.id());
    assertEquals(
        0, replica.collectGarbage().chunksRemoved(), "history still holds the deleted versions");
    assertTrue(replica.chunkStore().contains(a.chunks().getFirst().id()));

    assertEquals(2, replica.pruneHistory(0));
    var report = replica.collectGarbage();
    assertEquals(a.chunks().stream().map(c -> c.id()).distinct().count(), report.chunksRemoved());
    for (var chunk : a.chunks()) {
      assertFalse(replica.chunkStore().contains(chunk.id()));
    }
    assertTrue(replica.verify().ok(), () -> replica.verify().problems().toString());
  }

  @Test
  void newVersionsKeepHistoryUntilPruned() throws IOException {
    FileVersion v1 = write(FileId.ROOT, "doc.txt", "one".getBytes(StandardCharsets.UTF_8));
    FileVersion v2 = write(FileId.ROOT, "doc.txt", "two".getBytes(StandardCharsets.UTF_8));
    assertEquals(v1.id(), v2.id());
    assertEquals(
        org.gossipdrive.engine.tree.VersionVector.Order.AFTER,
        v2.versionVector().compare(v1.versionVector()));
    var history = replica.history(v1.id());
    assertEquals(2, history.size());
    assertArrayEquals(
        "one".getBytes(StandardCharsets.UTF_8), readAll(history.getFirst().version()));
    assertEquals(1, replica.pruneHistory(0));
    assertEquals(1, replica.history(v1.id()).size());
    assertArrayEquals(
        "two".getBytes(StandardCharsets.UTF_8), readAll(replica.resolve("doc.txt").orElseThrow()));
  }

  @Test
  void treeOperationsFollowPosixRules() throws IOException {
    FileId docs = replica.mkdir(FileId.ROOT, "docs", 0755).only().id();
    FileVersion file = write(docs, "a.txt", "hello".getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of("a.txt"), replica.list(docs).stream().map(FileVersion::name).toList());

    TreeException notEmpty = assertThrows(TreeException.class, () -> replica.delete(docs));
    assertEquals(TreeException.Reason.NOT_EMPTY, notEmpty.reason());

    TreeException exists =
        assertThrows(TreeException.class, () -> replica.mkdir(FileId.ROOT, "docs", 0755));
    assertEquals(TreeException.Reason.ALREADY_EXISTS, exists.reason());

    FileVersion other = write(FileId.ROOT, "b.txt", "world".getBytes(StandardCharsets.UTF_8));
    // rename over an existing file replaces it atomically
    CommitResult moved = replica.move(other.id(), docs, "a.txt", true);
    assertEquals(2, moved.versions().size());
    assertTrue(replica.head(file.id()).orElseThrow().deleted());
    assertEquals(other.id(), replica.resolve("docs/a.txt").orElseThrow().id());
    assertTrue(replica.resolve("b.txt").isEmpty());

    TreeException cycle =
        assertThrows(
            TreeException.class,
            () -> {
              FileId inner = replica.mkdir(docs, "inner", 0755).only().id();
              replica.move(docs, inner, "loop", false);
            });
    assertEquals(TreeException.Reason.INVALID_MOVE, cycle.reason());

    for (String bad : new String[] {"", ".", "..", "a/b", "nul\0"}) {
      assertEquals(
          TreeException.Reason.INVALID_NAME,
          assertThrows(TreeException.class, () -> replica.mkdir(FileId.ROOT, bad, 0755)).reason());
    }

    FileId link = replica.symlink(FileId.ROOT, "link", "docs/a.txt").only().id();
    assertEquals(FileType.SYMLINK, replica.head(link).orElseThrow().type());
    assertEquals("docs/a.txt", replica.head(link).orElseThrow().symlinkTarget());
    assertTrue(replica.verify().ok(), () -> replica.verify().problems().toString());
  }

  @Test
  void exclusiveCreateLetsExactlyOneConcurrentCreatorWin() throws Exception {
    List<CompletableFuture<CommitResult>> attempts = new ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
      for (int i = 0; i < 16; i++) {
        attempts.add(
            CompletableFuture.supplyAsync(
                () ->
                    replica.commit(
                        org.gossipdrive.engine.commit.Mutations.create(
                            FileId.random(),
                            FileId.ROOT,
                            ".~lock.report.odt#",
                            FileType.FILE,
                            0644,
                            0,
                            ""),
                        false),
                pool));
      }
      long winners =
          attempts.stream()
              .filter(
                  f -> {
                    try {
                      f.join();
                      return true;
                    } catch (java.util.concurrent.CompletionException e) {
                      assertTrue(e.getCause() instanceof TreeException);
                      return false;
                    }
                  })
              .count();
      assertEquals(1, winners);
    }
  }

  @Test
  void manyConcurrentCommitsShareGroupsAndChainContiguously() throws Exception {
    List<CompletableFuture<CommitResult>> futures = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      futures.add(
          replica.writeFileAsync(
              FileId.ROOT, "small-" + i, new ByteArrayInputStream(random(2000, i)), 0644, true));
    }
    long[] sequences = futures.stream().mapToLong(f -> f.join().sequence()).sorted().toArray();
    for (int i = 1; i < sequences.length; i++) {
      assertEquals(sequences[i - 1] + 1, sequences[i]);
    }
    reopen();
    assertEquals(500, replica.list(FileId.ROOT).size());
    VerifyReport report = replica.verify();
    assertTrue(report.ok(), report.problems()::toString);
    assertEquals(sequences[sequences.length - 1], report.ledgerEntriesChecked());
  }

  @Test
  void recoverySweepsTheChunksOfAnUploadInterruptedBeforeItsCommit() throws IOException {
    FileVersion kept = write(FileId.ROOT, "kept", random(20_000, 8));
    byte[] orphanBytes = random(10_000, 9);
    var orphan =
        new org.gossipdrive.engine.chunk.ChunkCodec().encode(orphanBytes, 0, orphanBytes.length);
    // What a crash leaves between ContentWriter's unlogged writes and the commit:
    TestStoreAccess.db(replica)
        .put(ReplicaDb.Column.META, new PendingUpload(42).key(), new byte[0]);
    replica.chunkStore().putUnlogged(orphan);
    replica.chunkStore().flush();
    reopen();
    assertEquals(1, replica.recoveryReport().interruptedUploads());
    assertEquals(1, replica.recoveryReport().swept().chunksRemoved());
    assertFalse(replica.chunkStore().contains(orphan.id()));
    assertArrayEquals(random(20_000, 8), readAll(replica.head(kept.id()).orElseThrow()));
    reopen();
    assertEquals(
        0, replica.recoveryReport().interruptedUploads(), "the marker is gone after recovery");
    assertTrue(replica.verify().problems().isEmpty(), () -> replica.verify().problems().toString());
  }

  @Test
  void aFlippedByteInAStoredChunkIsNeverServedAndVerifyNamesIt() throws IOException {
    byte[] content = random(50_000, 5);
    FileVersion file = write(FileId.ROOT, "victim", content);
    ChunkId target = file.chunks().get(2).id();
    byte[] stored = TestStoreAccess.rawChunk(replica, target);
    stored[stored.length / 2] ^= 1;
    TestStoreAccess.putRawChunk(replica, target, stored);

    CorruptChunkException e = assertThrows(CorruptChunkException.class, () -> readAll(file));
    assertEquals(target, e.chunk());
    assertTrue(e.getMessage().contains(target.toString()));

    VerifyReport report = replica.verify();
    assertFalse(report.ok());
    assertEquals(1, report.errors().size(), report.problems()::toString);
    Problem problem = report.errors().getFirst();
    assertEquals(Problem.Kind.CORRUPT_CHUNK, problem.kind());
    assertTrue(problem.subject().contains(target.toString()));
  }
}
