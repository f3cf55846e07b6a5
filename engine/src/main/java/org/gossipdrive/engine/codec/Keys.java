package org.gossipdrive.engine.codec;

/** Fixed-width big-endian keys, so RocksDB's byte order is numeric order. */
public final class Keys {
  private Keys() {}

  public static byte[] u64(long value) {
    return new RecordWriter(8).i64(value).toByteArray();
  }

  public static long u64(byte[] key, String what) {
    if (key.length != 8) {
      throw new CorruptRecordException(what + ": key is " + key.length + " bytes, expected 8");
    }
    return new RecordReader(key, what).i64("key");
  }

  public static byte[] concat(byte[] first, byte[] second) {
    byte[] out = new byte[first.length + second.length];
    System.arraycopy(first, 0, out, 0, first.length);
    System.arraycopy(second, 0, out, first.length, second.length);
    return out;
  }
}
