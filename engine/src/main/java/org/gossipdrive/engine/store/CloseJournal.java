package org.gossipdrive.engine.store;

import java.util.Collection;
import java.util.function.BiConsumer;
import org.gossipdrive.engine.tree.FileId;

/**
 * Work that {@code close()} accepted and the tree does not hold yet, one entry per file, written
 * through RocksDB's write-ahead log: it survives {@code kill -9} as a commit does (ADR 36). The
 * entries' format belongs to whoever writes them; this store only keeps, lists and drops them.
 */
public final class CloseJournal {
  /** An entry is a small file's content and its place: nothing bigger is journaled. */
  public static final int MAX_ENTRY_BYTES = 256 * 1024;

  private final ReplicaDb db;

  public CloseJournal(ReplicaDb db) {
    this.db = db;
  }

  /** Stores (or replaces) {@code id}'s entry; kill-safe once this returns. */
  public void put(FileId id, byte[] entry) {
    if (entry.length > MAX_ENTRY_BYTES) {
      throw new IllegalArgumentException(
          "a journal entry holds at most " + MAX_ENTRY_BYTES + " bytes, not " + entry.length);
    }
    db.put(ReplicaDb.Column.CLOSE_JOURNAL, id.toBytes(), entry);
  }

  /** Drops the entries of {@code ids} (their work is in the tree), in one write. */
  public void remove(Collection<FileId> ids) {
    if (ids.isEmpty()) {
      return;
    }
    try (var batch = db.newBatch()) {
      for (FileId id : ids) {
        db.delete(batch, ReplicaDb.Column.CLOSE_JOURNAL, id.toBytes());
      }
      db.write(batch, false);
    }
  }

  /** Visits every entry; a key that is not a file id is skipped (the journal is only ours). */
  public void forEach(BiConsumer<FileId, byte[]> visitor) {
    db.scan(
        ReplicaDb.Column.CLOSE_JOURNAL,
        new byte[0],
        (key, value) -> {
          if (key.length == FileId.LENGTH) {
            visitor.accept(FileId.of(key, 0), value);
          }
        });
  }
}
