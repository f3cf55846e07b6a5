package org.gossipdrive.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import org.gossipdrive.engine.commit.VersionSigner;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileVersion;
import org.gossipdrive.engine.tree.TreeException;
import org.gossipdrive.engine.tree.VersionCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every local version is numbered per author, signed, and kept in the record log replication reads.
 */
class RecordLogTest {
  private static final DeviceId ME = new DeviceId("ME");

  @TempDir Path dir;

  /** A stand-in signature (the real one is Ed25519 in net/): SHA-256 of the signed bytes. */
  private static byte[] fakeSign(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private final ReplicaOptions options =
      ReplicaOptions.defaults(ME).withSigner(RecordLogTest::fakeSign);

  @Test
  void localVersionsGetGaplessAuthorSequencesAndSignatures() throws Exception {
    try (Replica replica = Replica.open(dir, options)) {
      FileId docs = replica.mkdir(FileId.ROOT, "docs", 0755).only().id();
      for (int i = 0; i < 5; i++) {
        replica.writeFile(
            docs, "f" + i, new ByteArrayInputStream(new byte[] {(byte) i}), 0644, false);
      }
      // a refused change must not burn a sequence number
      assertThrows(TreeException.class, () -> replica.mkdir(FileId.ROOT, "docs", 0755));
      replica.delete(replica.lookup(docs, "f0").orElseThrow().id());
      assertEquals(Map.of(ME, 8L), replica.digest(), "root + mkdir + 5 writes + delete");
    }
    try (Replica replica = Replica.open(dir, options)) {
      replica.mkdir(FileId.ROOT, "after-restart", 0755);
      assertEquals(Map.of(ME, 9L), replica.digest(), "numbering continues after a restart");
      List<FileVersion> records = replica.recordsAfter(ME, 0, 100);
      assertEquals(9, records.size());
      for (int i = 0; i < records.size(); i++) {
        FileVersion record = records.get(i);
        assertEquals(i + 1, record.authorSequence());
        assertEquals(ME, record.author());
        assertArrayEquals(
            fakeSign(VersionCodec.signedBytes(record)),
            record.signature(),
            "record " + (i + 1) + " is signed");
      }
      assertEquals(
          List.of(7L, 8L),
          replica.recordsAfter(ME, 6, 2).stream().map(FileVersion::authorSequence).toList());
      assertTrue(replica.recordsAfter(new DeviceId("SOMEONE-ELSE"), 0, 10).isEmpty());
      assertTrue(replica.verify().ok());
    }
  }

  @Test
  void concurrentLocalCommitsStillNumberWithoutGaps() throws Exception {
    try (Replica replica =
        Replica.open(dir, ReplicaOptions.defaults(ME).withSigner(VersionSigner.UNSIGNED))) {
      var futures = new java.util.ArrayList<java.util.concurrent.CompletableFuture<?>>();
      for (int i = 0; i < 200; i++) {
        futures.add(
            replica.writeFileAsync(
                FileId.ROOT, "w" + i, new ByteArrayInputStream(new byte[] {1}), 0644, false));
      }
      for (int i = 0; i < 50; i++) {
        try {
          replica.commit(
              org.gossipdrive.engine.commit.Mutations.create(
                  FileId.random(),
                  FileId.ROOT,
                  "w" + i,
                  org.gossipdrive.engine.tree.FileType.FILE,
                  0644,
                  0,
                  ""),
              false);
        } catch (TreeException expected) {
          // name taken
        }
      }
      futures.forEach(java.util.concurrent.CompletableFuture::join);
      long held = replica.recordsAfter(ME, 0, 1000).size();
      assertEquals(Map.of(ME, held), replica.digest(), "the digest covers every record: no gaps");
      assertEquals(201, held, "root + 200 writes; the 50 refused creates took no number");
    }
  }
}
