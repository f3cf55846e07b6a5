package org.gossipdrive.engine.store;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Consumer;
import org.gossipdrive.engine.codec.CorruptRecordException;
import org.gossipdrive.engine.codec.Keys;
import org.gossipdrive.engine.ledger.ChainHead;
import org.gossipdrive.engine.ledger.LedgerCodec;
import org.gossipdrive.engine.ledger.LedgerEntry;
import org.gossipdrive.engine.store.ReplicaDb.Column;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/** Reads and appends the hash-chained journal kept in the {@code ledger} family. */
public final class Ledger {
  static final byte[] HEAD_KEY = "ledger.head".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final ReplicaDb db;

  public Ledger(ReplicaDb db) {
    this.db = db;
  }

  /** The committed head, as recorded in the same batches that append entries. */
  public ChainHead head() {
    byte[] stored = db.get(Column.META, HEAD_KEY);
    if (stored == null) {
      return ChainHead.EMPTY;
    }
    try {
      return ChainHead.decode(stored);
    } catch (CorruptRecordException e) {
      throw new StoreException("the ledger head record is damaged: " + e.getMessage());
    }
  }

  /** Encodes an entry and computes the head it produces. */
  public static Appended prepare(LedgerEntry entry) {
    byte[] stored = LedgerCodec.encode(entry);
    return new Appended(new ChainHead(entry.sequence(), LedgerCodec.hash(stored)), stored);
  }

  /** Adds a prepared entry and the new head to a batch. */
  public void stage(WriteBatch batch, Appended appended) {
    db.put(batch, Column.LEDGER, Keys.u64(appended.head().sequence()), appended.stored());
    db.put(batch, Column.META, HEAD_KEY, appended.head().encode());
  }

  /** An entry in stored form with the head it produces. */
  public record Appended(ChainHead head, byte[] stored) {}

  public LedgerEntry read(long sequence) {
    byte[] stored = db.get(Column.LEDGER, Keys.u64(sequence));
    if (stored == null) {
      throw new StoreException("ledger entry #" + sequence + " is missing");
    }
    return LedgerCodec.decode(stored, "ledger entry #" + sequence);
  }

  /**
   * Checks the last {@code depth} links of the chain and that the head names the last entry. Run at
   * every open: cheap, and it catches a torn or tampered tail before anything is appended to it.
   *
   * @throws StoreException describing the first broken link
   */
  public void checkTail(int depth) {
    ChainHead head = head();
    if (head.sequence() == 0) {
      try (RocksIterator it = db.iterator(Column.LEDGER)) {
        it.seekToFirst();
        if (it.isValid()) {
          throw new StoreException("the ledger has entries but no head record");
        }
      }
      return;
    }
    long first = Math.max(1, head.sequence() - depth + 1);
    byte[] expectedPrevious = null;
    for (long seq = first; seq <= head.sequence(); seq++) {
      byte[] stored = db.get(Column.LEDGER, Keys.u64(seq));
      if (stored == null) {
        throw new StoreException(
            "ledger entry #" + seq + " is missing (head is #" + head.sequence() + ")");
      }
      LedgerEntry entry = decode(stored, seq);
      if (expectedPrevious != null && !Arrays.equals(expectedPrevious, entry.previousHash())) {
        throw new StoreException(
            "ledger chain broken at entry #"
                + seq
                + ": its previous hash does not match entry #"
                + (seq - 1));
      }
      expectedPrevious = LedgerCodec.hash(stored);
    }
    if (!Arrays.equals(expectedPrevious, head.hash())) {
      throw new StoreException(
          "ledger head #"
              + head.sequence()
              + " has hash "
              + HexFormat.of().formatHex(head.hash())
              + " but the entry hashes to "
              + HexFormat.of().formatHex(expectedPrevious));
    }
    if (db.get(Column.LEDGER, Keys.u64(head.sequence() + 1)) != null) {
      throw new StoreException("ledger holds entry #" + (head.sequence() + 1) + " beyond its head");
    }
  }

  private static LedgerEntry decode(byte[] stored, long seq) {
    try {
      LedgerEntry entry = LedgerCodec.decode(stored, "ledger entry #" + seq);
      if (entry.sequence() != seq) {
        throw new StoreException("ledger entry #" + seq + " claims sequence " + entry.sequence());
      }
      return entry;
    } catch (CorruptRecordException e) {
      throw new StoreException(e.getMessage());
    }
  }

  /** Visits every stored entry in order with its stored bytes, for verification. */
  public void forEachStored(Consumer<StoredEntry> visitor) {
    try (RocksIterator it = db.iterator(Column.LEDGER)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        visitor.accept(new StoredEntry(it.key(), it.value()));
      }
    }
  }

  /** A raw ledger row. */
  public record StoredEntry(byte[] key, byte[] value) {}
}
