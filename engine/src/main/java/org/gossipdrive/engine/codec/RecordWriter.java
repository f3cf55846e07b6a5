package org.gossipdrive.engine.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Builds a binary record in the format {@link RecordReader} reads, big-endian throughout. */
public final class RecordWriter {
  private byte[] buffer;
  private int size;

  public RecordWriter(int initialCapacity) {
    buffer = new byte[Math.max(16, initialCapacity)];
  }

  private void ensure(int extra) {
    if (size + extra > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + extra));
    }
  }

  public RecordWriter u8(int value) {
    ensure(1);
    buffer[size++] = (byte) value;
    return this;
  }

  public RecordWriter u16(int value) {
    if (value < 0 || value > 0xffff) {
      throw new IllegalArgumentException("u16 out of range: " + value);
    }
    ensure(2);
    buffer[size++] = (byte) (value >>> 8);
    buffer[size++] = (byte) value;
    return this;
  }

  public RecordWriter i32(int value) {
    ensure(4);
    for (int shift = 24; shift >= 0; shift -= 8) {
      buffer[size++] = (byte) (value >>> shift);
    }
    return this;
  }

  public RecordWriter i64(long value) {
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      buffer[size++] = (byte) (value >>> shift);
    }
    return this;
  }

  public RecordWriter bytes(byte[] value) {
    return bytes(value, 0, value.length);
  }

  public RecordWriter bytes(byte[] value, int offset, int length) {
    ensure(length);
    System.arraycopy(value, offset, buffer, size, length);
    size += length;
    return this;
  }

  public RecordWriter shortBytes(byte[] value) {
    u16(value.length);
    return bytes(value);
  }

  public RecordWriter string(String value) {
    return shortBytes(value.getBytes(StandardCharsets.UTF_8));
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buffer, size);
  }
}
