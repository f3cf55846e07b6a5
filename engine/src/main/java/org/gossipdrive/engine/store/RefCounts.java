package org.gossipdrive.engine.store;

import org.gossipdrive.engine.hash.ChunkId;

/**
 * Reference counts are 8-byte little-endian integers, the format of RocksDB's built-in uint64add
 * merge operator. Adding a negative delta wraps modulo 2^64, which is exactly a subtraction.
 */
public final class RefCounts {
  private RefCounts() {}

  static byte[] encode(long value) {
    byte[] out = new byte[8];
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) (value >>> (8 * i));
    }
    return out;
  }

  /** Decodes a stored count, or throws naming the chunk when the value is malformed. */
  public static long decode(byte[] value, ChunkId id) {
    if (value.length != 8) {
      throw new StoreException(
          "reference count of chunk " + id + " is damaged (" + value.length + " bytes)");
    }
    return decode(value);
  }

  /** Decodes an 8-byte count whose length the caller has checked. */
  public static long decode(byte[] value) {
    long result = 0;
    for (int i = 7; i >= 0; i--) {
      result = result << 8 | value[i] & 0xff;
    }
    return result;
  }
}
