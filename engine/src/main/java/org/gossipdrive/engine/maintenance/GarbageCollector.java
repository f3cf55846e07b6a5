package org.gossipdrive.engine.maintenance;

import java.util.ArrayList;
import java.util.List;
import org.gossipdrive.engine.store.RefCounts;
import org.gossipdrive.engine.store.ReplicaDb;
import org.gossipdrive.engine.store.ReplicaDb.Column;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * Removes chunks no stored version references: those whose count fell to zero, and orphans left by
 * a crash between writing a big file's chunks and committing it. The caller must stop all writers
 * first (the replica's GC gate), or a chunk being written could be taken for an orphan.
 */
public final class GarbageCollector {
  private final ReplicaDb db;

  public GarbageCollector(ReplicaDb db) {
    this.db = db;
  }

  public GcReport run() {
    List<byte[]> doomed = new ArrayList<>();
    long bytes = 0;
    try (RocksIterator chunks = db.iterator(Column.CHUNKS)) {
      for (chunks.seekToFirst(); chunks.isValid(); chunks.next()) {
        byte[] count = db.get(Column.CHUNK_REFS, chunks.key());
        if (count == null || count.length != 8 || RefCounts.decode(count) <= 0) {
          doomed.add(chunks.key());
          bytes += chunks.value().length;
        }
      }
    }
    List<byte[]> zeroCounts = new ArrayList<>();
    try (RocksIterator refs = db.iterator(Column.CHUNK_REFS)) {
      for (refs.seekToFirst(); refs.isValid(); refs.next()) {
        if (refs.value().length == 8 && RefCounts.decode(refs.value()) <= 0) {
          zeroCounts.add(refs.key());
        }
      }
    }
    if (doomed.isEmpty() && zeroCounts.isEmpty()) {
      return new GcReport(0, 0);
    }
    try (WriteBatch batch = db.newBatch()) {
      doomed.forEach(key -> db.delete(batch, Column.CHUNKS, key));
      zeroCounts.forEach(key -> db.delete(batch, Column.CHUNK_REFS, key));
      db.write(batch, true);
    }
    db.compact(Column.CHUNKS);
    return new GcReport(doomed.size(), bytes);
  }
}
