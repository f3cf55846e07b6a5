package org.gossipdrive.engine.maintenance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.gossipdrive.engine.commit.PendingUpload;
import org.gossipdrive.engine.store.Ledger;
import org.gossipdrive.engine.store.ReplicaDb;
import org.gossipdrive.engine.store.ReplicaDb.Column;
import org.gossipdrive.engine.store.StoreException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * Runs at every open, before anything is written. RocksDB has already replayed its WAL, so every
 * batch is either fully there or absent; what remains to check is ours: the format, the tail of the
 * ledger chain, and big-file uploads a crash interrupted (their chunks are swept).
 */
public final class Recovery {
  static final byte[] FORMAT_KEY = "format".getBytes(StandardCharsets.US_ASCII);
  static final int FORMAT = 1;
  private static final int TAIL_DEPTH = 1024;

  /** What recovery found and did. */
  public record Report(boolean created, int interruptedUploads, GcReport swept) {}

  private final ReplicaDb db;
  private final Ledger ledger;

  public Recovery(ReplicaDb db, Ledger ledger) {
    this.db = db;
    this.ledger = ledger;
  }

  public Report run() {
    boolean created = checkFormat();
    ledger.checkTail(TAIL_DEPTH);
    List<byte[]> markers = new ArrayList<>();
    byte[] prefix = PendingUpload.prefix();
    db.scan(Column.META, prefix, (key, value) -> markers.add(key));
    if (markers.isEmpty()) {
      return new Report(created, 0, new GcReport(0, 0));
    }
    GcReport swept = new GarbageCollector(db).run();
    try (WriteBatch batch = db.newBatch()) {
      markers.forEach(key -> db.delete(batch, Column.META, key));
      db.write(batch, true);
    }
    return new Report(created, markers.size(), swept);
  }

  private boolean checkFormat() {
    byte[] format = db.get(Column.META, FORMAT_KEY);
    if (format == null) {
      try (RocksIterator it = db.iterator(Column.LEDGER)) {
        it.seekToFirst();
        if (it.isValid()) {
          throw new StoreException(
              db.path() + " holds data but no GossipDrive format marker; refusing to touch it");
        }
      }
      db.putRaw(Column.META, FORMAT_KEY, new byte[] {FORMAT});
      return true;
    }
    if (format.length != 1 || format[0] != FORMAT) {
      throw new StoreException(
          db.path()
              + " uses store format "
              + (format.length == 1 ? format[0] : "?")
              + "; this version reads format "
              + FORMAT);
    }
    return false;
  }
}
