package org.gossipdrive.engine.ledger;

import java.util.List;
import org.gossipdrive.engine.tree.HybridTimestamp;

/**
 * One atomic change in the hash-chained journal.
 *
 * @param records for {@link Kind#VERSIONS} the encoded new versions; for {@link Kind#PRUNE} the
 *     keys (file id + sequence) of history versions dropped
 */
public record LedgerEntry(
    long sequence,
    byte[] previousHash,
    HybridTimestamp timestamp,
    Kind kind,
    List<byte[]> records) {

  /** What an entry records. */
  public enum Kind {
    /** New versions of tree entries (local edits, or later remote ones applied). */
    VERSIONS,
    /** Old history versions removed by the retention policy. */
    PRUNE,
    /**
     * Signed records from other devices, kept (for the digest and relaying) without becoming heads.
     */
    RECORDS
  }

  public LedgerEntry {
    records = List.copyOf(records);
  }
}
