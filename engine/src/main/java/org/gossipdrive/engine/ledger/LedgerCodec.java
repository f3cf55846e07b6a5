package org.gossipdrive.engine.ledger;

import java.util.ArrayList;
import java.util.List;
import org.gossipdrive.engine.codec.RecordReader;
import org.gossipdrive.engine.codec.RecordWriter;
import org.gossipdrive.engine.hash.Blake3;
import org.gossipdrive.engine.hash.Hashing;
import org.gossipdrive.engine.tree.HybridTimestamp;

/**
 * Stored form of a ledger entry: format byte, previous hash (32), sequence, timestamp, kind, record
 * count, then each record with its u32 length. The entry's hash is BLAKE3 of exactly these bytes,
 * which begin with the previous hash: hash = BLAKE3(previous ‖ entry).
 */
public final class LedgerCodec {
  private static final int FORMAT = 1;
  public static final int MAX_RECORDS = 1 << 20;
  public static final int MAX_RECORD = 1 << 30;

  /** The previous hash of the first entry. */
  public static final byte[] GENESIS = new byte[Blake3.HASH_LENGTH];

  private LedgerCodec() {}

  public static byte[] encode(LedgerEntry entry) {
    RecordWriter w = new RecordWriter(64);
    w.u8(FORMAT).bytes(entry.previousHash()).i64(entry.sequence()).i64(entry.timestamp().value());
    w.u8(entry.kind().ordinal()).i32(entry.records().size());
    for (byte[] record : entry.records()) {
      w.i32(record.length).bytes(record);
    }
    return w.toByteArray();
  }

  public static byte[] hash(byte[] stored) {
    return Hashing.blake3().hash(stored);
  }

  public static LedgerEntry decode(byte[] stored, String what) {
    RecordReader r = new RecordReader(stored, what);
    int format = r.u8("format");
    if (format != FORMAT) {
      throw r.fail("unknown ledger entry format " + format);
    }
    byte[] previous = r.bytes(Blake3.HASH_LENGTH, "previous hash");
    long sequence = r.i64("sequence");
    HybridTimestamp timestamp = new HybridTimestamp(r.i64("timestamp"));
    int kindCode = r.u8("kind");
    if (kindCode >= LedgerEntry.Kind.values().length) {
      throw r.fail("unknown entry kind " + kindCode);
    }
    int count = r.count("record count", MAX_RECORDS);
    List<byte[]> records = new ArrayList<>(Math.min(count, 1024));
    for (int i = 0; i < count; i++) {
      records.add(r.bytes(r.count("record length", MAX_RECORD), "record"));
    }
    r.end();
    return new LedgerEntry(
        sequence, previous, timestamp, LedgerEntry.Kind.values()[kindCode], records);
  }
}
