package org.gossipdrive.engine.codec;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a binary record with a limit on every length it decodes, so a damaged or hostile record
 * fails with a {@link CorruptRecordException} that says what was wrong instead of allocating
 * gigabytes or reading past the end.
 */
public final class RecordReader {
  private final byte[] data;
  private final String what;
  private int position;

  public RecordReader(byte[] data, String what) {
    this.data = data;
    this.what = what;
  }

  public int position() {
    return position;
  }

  public int remaining() {
    return data.length - position;
  }

  private void need(int count, String field) {
    if (count < 0 || count > remaining()) {
      throw fail(
          "truncated at " + field + " (needs " + count + " bytes, " + remaining() + " left)");
    }
  }

  public CorruptRecordException fail(String problem) {
    return new CorruptRecordException(what + ": " + problem);
  }

  public int u8(String field) {
    need(1, field);
    return data[position++] & 0xff;
  }

  public int u16(String field) {
    need(2, field);
    int value = (data[position] & 0xff) << 8 | data[position + 1] & 0xff;
    position += 2;
    return value;
  }

  public int i32(String field) {
    need(4, field);
    int value =
        (data[position] & 0xff) << 24
            | (data[position + 1] & 0xff) << 16
            | (data[position + 2] & 0xff) << 8
            | data[position + 3] & 0xff;
    position += 4;
    return value;
  }

  public long i64(String field) {
    need(8, field);
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = value << 8 | data[position + i] & 0xff;
    }
    position += 8;
    return value;
  }

  /** An unsigned 32-bit count or length that must not exceed {@code max}. */
  public int count(String field, int max) {
    int value = i32(field);
    if (value < 0 || value > max) {
      throw fail(field + " is " + Integer.toUnsignedString(value) + ", above the limit of " + max);
    }
    return value;
  }

  public byte[] bytes(int length, String field) {
    need(length, field);
    byte[] out = Arrays.copyOfRange(data, position, position + length);
    position += length;
    return out;
  }

  /** A byte array preceded by its u16 length, at most {@code max} bytes. */
  public byte[] shortBytes(String field, int max) {
    int length = u16(field);
    if (length > max) {
      throw fail(field + " is " + length + " bytes, above the limit of " + max);
    }
    return bytes(length, field);
  }

  /** A strict UTF-8 string preceded by its u16 length, at most {@code maxBytes} bytes. */
  public String string(String field, int maxBytes) {
    byte[] raw = shortBytes(field, maxBytes);
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(raw))
          .toString();
    } catch (CharacterCodingException e) {
      throw fail(field + " is not valid UTF-8");
    }
  }

  /**
   * Fails unless every byte was consumed: trailing garbage means the record is not what it seems.
   */
  public void end() {
    if (remaining() != 0) {
      throw fail(remaining() + " unexpected trailing bytes");
    }
  }
}
