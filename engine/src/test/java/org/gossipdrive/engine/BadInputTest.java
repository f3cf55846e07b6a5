package org.gossipdrive.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.gossipdrive.engine.codec.CorruptRecordException;
import org.gossipdrive.engine.codec.Keys;
import org.gossipdrive.engine.maintenance.Problem;
import org.gossipdrive.engine.maintenance.VerifyReport;
import org.gossipdrive.engine.store.ReplicaDb;
import org.gossipdrive.engine.store.ReplicaDb.Column;
import org.gossipdrive.engine.store.StoreException;
import org.gossipdrive.engine.store.TreeIndex;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged records on disk get clear errors and change nothing. */
class BadInputTest {
  @TempDir Path dir;
  private final ReplicaOptions options = ReplicaOptions.defaults(new DeviceId("BAD-INPUT"));

  private FileVersion seed(Replica replica, String name, int size) throws IOException {
    return replica
        .writeFile(
            FileId.ROOT, name, new ByteArrayInputStream(ReplicaTest.random(size, size)), 0644, true)
        .only()
        .version();
  }

  /** Every key and value of every column, for before/after comparisons. */
  private Map<String, String> dump() {
    Map<String, String> all = new TreeMap<>();
    try (ReplicaDb db = ReplicaDb.open(dir)) {
      for (Column column : Column.values()) {
        try (var it = db.iterator(column)) {
          for (it.seekToFirst(); it.isValid(); it.next()) {
            all.put(
                column + "/" + HexFormat.of().formatHex(it.key()),
                HexFormat.of().formatHex(it.value()));
          }
        }
      }
    }
    return all;
  }

  private void damage(Column column, byte[] key, byte[] value) {
    try (ReplicaDb db = ReplicaDb.open(dir)) {
      db.putRaw(column, key, value);
    }
  }

  @Test
  void aWrongChainHashRefusesToOpenAndChangesNothing() throws IOException {
    try (Replica replica = Replica.open(dir, options)) {
      seed(replica, "a", 1000);
      seed(replica, "b", 2000);
    }
    byte[] head;
    try (ReplicaDb db = ReplicaDb.open(dir)) {
      head = db.get(Column.META, "ledger.head".getBytes());
    }
    byte[] tampered = head.clone();
    tampered[20] ^= 1;
    damage(Column.META, "ledger.head".getBytes(), tampered);
    Map<String, String> before = dump();

    StoreException e = assertThrows(StoreException.class, () -> Replica.open(dir, options));
    assertTrue(e.getMessage().contains("ledger head #3"), e.getMessage());
    assertEquals(before, dump(), "a refused open must not write anything");
  }

  @Test
  void aTamperedLedgerEntryIsNamedByVerify() throws IOException {
    try (Replica replica = Replica.open(dir, options)) {
      for (int i = 0; i < 5; i++) {
        seed(replica, "f" + i, 100 + i);
      }
    }
    byte[] entry;
    try (ReplicaDb db = ReplicaDb.open(dir)) {
      entry = db.get(Column.LEDGER, Keys.u64(2));
    }
    byte[] tampered = entry.clone();
    tampered[tampered.length - 1] ^= 1;
    damage(Column.LEDGER, Keys.u64(2), tampered);
    // entry #2 is within the tail checked at open: refused
    assertThrows(StoreException.class, () -> Replica.open(dir, options));
    // verify, run on the raw store, pinpoints the broken link
    try (ReplicaDb db = ReplicaDb.open(dir)) {
      VerifyReport report =
          new org.gossipdrive.engine.maintenance.Verifier(
                  db,
                  new org.gossipdrive.engine.store.Ledger(db),
                  new org.gossipdrive.engine.chunk.ChunkCodec())
              .run();
      assertFalse(report.ok());
      assertTrue(
          report.errors().stream()
              .anyMatch(
                  p ->
                      p.kind() == Problem.Kind.BROKEN_CHAIN
                          && p.subject().equals("ledger entry #3")),
          report.problems()::toString);
    }
  }

  @Test
  void garbageAndTruncatedVersionRecordsGiveClearErrors() throws IOException {
    FileVersion victim;
    long sequence;
    try (Replica replica = Replica.open(dir, options)) {
      victim = seed(replica, "victim", 5000);
      sequence = replica.history(victim.id()).getFirst().sequence();
    }
    byte[] key = TreeIndex.versionKey(victim.id(), sequence);
    byte[] record;
    try (ReplicaDb db = ReplicaDb.open(dir)) {
      record = db.get(Column.VERSIONS, key);
      db.putRaw(Column.VERSIONS, key, Arrays.copyOf(record, record.length / 2));
      byte[] headRecord = db.get(Column.FILES, victim.id().toBytes());
      db.putRaw(Column.FILES, victim.id().toBytes(), new byte[] {1, 2, 3});
      assertTrue(headRecord.length > 3);
    }
    try (Replica replica = Replica.open(dir, options)) {
      CorruptRecordException history =
          assertThrows(CorruptRecordException.class, () -> replica.history(victim.id()));
      assertTrue(
          history.getMessage().contains(victim.id().toString())
              && history.getMessage().contains("truncated"),
          history.getMessage());
      CorruptRecordException head =
          assertThrows(CorruptRecordException.class, () -> replica.head(victim.id()));
      assertTrue(head.getMessage().contains("head of file " + victim.id()), head.getMessage());
      VerifyReport report = replica.verify();
      assertTrue(
          report.errors().stream()
              .anyMatch(
                  p ->
                      p.kind() == Problem.Kind.CORRUPT_RECORD
                          && p.subject().contains(HexFormat.of().formatHex(key))),
          report.problems()::toString);
    }
  }

  @Test
  void aStoreOfAnotherFormatIsRefusedUntouched() throws IOException {
    try (Replica replica = Replica.open(dir, options)) {
      seed(replica, "a", 10);
    }
    damage(Column.META, "format".getBytes(), new byte[] {9});
    Map<String, String> before = dump();
    StoreException e = assertThrows(StoreException.class, () -> Replica.open(dir, options));
    assertTrue(e.getMessage().contains("format 9"), e.getMessage());
    assertEquals(before, dump());
  }

  @Test
  void aWrongReferenceCountIsReported() throws IOException {
    FileVersion file;
    try (Replica replica = Replica.open(dir, options)) {
      file = seed(replica, "counted", 3000);
    }
    var chunk = file.chunks().getFirst().id();
    damage(Column.CHUNK_REFS, chunk.toBytes(), new byte[] {5, 0, 0, 0, 0, 0, 0, 0});
    try (Replica replica = Replica.open(dir, options)) {
      VerifyReport report = replica.verify();
      assertEquals(1, report.errors().size(), report.problems()::toString);
      assertEquals(Problem.Kind.WRONG_REFERENCE_COUNT, report.errors().getFirst().kind());
      assertTrue(report.errors().getFirst().detail().contains("count is 5"));
    }
  }
}
