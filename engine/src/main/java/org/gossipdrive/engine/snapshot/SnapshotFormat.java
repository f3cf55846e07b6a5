package org.gossipdrive.engine.snapshot;

/**
 * The snapshot file, version 1:
 *
 * <pre>
 * magic      8 bytes  "GDSNAP1\0"
 * floor      i32 count, then per author: string id, i64 sequence
 * records    per record: i32 length, the record as {@link
 *            org.gossipdrive.engine.tree.VersionCodec} encodes it (signature included)
 * end        i32 -1, i64 record count
 * checksum   32 bytes, BLAKE3 of everything before it
 * </pre>
 *
 * Directories come before the entries inside them, so a receiver can apply in file order.
 */
final class SnapshotFormat {
  static final byte[] MAGIC = {'G', 'D', 'S', 'N', 'A', 'P', '1', 0};
  static final int END_MARK = -1;
  static final int CHECKSUM_LENGTH = 32;
  static final int MAX_AUTHORS = 65_536;
  static final int MAX_AUTHOR_BYTES = 256;
  static final int MAX_RECORD_BYTES = 4 << 20;
  static final long MAX_RECORDS = 100_000_000L;

  private SnapshotFormat() {}
}
