package org.gossipdrive.engine.ledger;

import java.util.HexFormat;
import org.gossipdrive.engine.codec.RecordReader;
import org.gossipdrive.engine.codec.RecordWriter;

/** The last entry of the ledger: its sequence number and hash. Sequence 0 means empty. */
public record ChainHead(long sequence, byte[] hash) {
  public static final ChainHead EMPTY = new ChainHead(0, LedgerCodec.GENESIS);

  public byte[] encode() {
    return new RecordWriter(40).i64(sequence).bytes(hash).toByteArray();
  }

  public static ChainHead decode(byte[] stored) {
    RecordReader r = new RecordReader(stored, "ledger head");
    ChainHead head = new ChainHead(r.i64("sequence"), r.bytes(32, "hash"));
    r.end();
    return head;
  }

  @Override
  public String toString() {
    return "#" + sequence + " " + HexFormat.of().formatHex(hash);
  }
}
