package org.gossipdrive.tests.data;

import java.io.InputStream;

/**
 * A deterministic pseudo-random stream of any length, generated on the fly (a 1 GiB test file never
 * sits in memory). Optionally overwrites a region with other bytes, or inserts bytes, to model
 * edits of a big binary file. {@code compressible} streams use an 8-letter alphabet in 64-byte runs
 * so LZ4 shrinks them.
 */
public final class SyntheticContent extends InputStream {
  private final long seed;
  private final long size;
  private final long editOffset;
  private final long editLength;
  private final long insertOffset;
  private final int insertLength;
  private final boolean compressible;
  private long position;

  private SyntheticContent(
      long seed,
      long size,
      long editOffset,
      long editLength,
      long insertOffset,
      int insertLength,
      boolean compressible) {
    this.seed = seed;
    this.size = size;
    this.editOffset = editOffset;
    this.editLength = editLength;
    this.insertOffset = insertOffset;
    this.insertLength = insertLength;
    this.compressible = compressible;
  }

  public static SyntheticContent random(long seed, long size) {
    return new SyntheticContent(seed, size, -1, 0, -1, 0, false);
  }

  public static SyntheticContent compressible(long seed, long size) {
    return new SyntheticContent(seed, size, -1, 0, -1, 0, true);
  }

  /** The same content with {@code length} bytes at {@code offset} replaced by other bytes. */
  public static SyntheticContent overwritten(long seed, long size, long offset, long length) {
    return new SyntheticContent(seed, size, offset, length, -1, 0, false);
  }

  /** The same content with {@code length} new bytes inserted at {@code offset}. */
  public static SyntheticContent inserted(long seed, long size, long offset, int length) {
    return new SyntheticContent(seed, size + length, -1, 0, offset, length, false);
  }

  /** The whole stream as an array, for small files. */
  public static byte[] bytes(long seed, int size) {
    byte[] out = new byte[size];
    fill(seed, 0, out, 0, size, false);
    return out;
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] target, int offset, int length) {
    if (position >= size) {
      return -1;
    }
    int n = (int) Math.min(length, size - position);
    int done = 0;
    while (done < n) {
      done += fillSegment(target, offset + done, n - done, position + done);
    }
    position += n;
    return n;
  }

  /**
   * Fills from one homogeneous segment starting at stream position {@code p}; returns bytes filled.
   */
  private int fillSegment(byte[] target, int offset, int max, long p) {
    if (insertOffset >= 0 && p >= insertOffset) {
      if (p < insertOffset + insertLength) {
        int n = (int) Math.min(max, insertOffset + insertLength - p);
        fill(seed ^ 0x5555, p, target, offset, n, false);
        return n;
      }
      return fillOriginal(target, offset, max, p - insertLength);
    }
    long limit = insertOffset >= 0 ? insertOffset - p : Long.MAX_VALUE;
    return fillOriginal(target, offset, (int) Math.min(max, limit), p);
  }

  private int fillOriginal(byte[] target, int offset, int max, long p) {
    if (editOffset >= 0 && p >= editOffset && p < editOffset + editLength) {
      int n = (int) Math.min(max, editOffset + editLength - p);
      fill(seed ^ 0xAAAA, p, target, offset, n, false);
      return n;
    }
    long limit = editOffset >= 0 && p < editOffset ? editOffset - p : Long.MAX_VALUE;
    int n = (int) Math.min(max, limit);
    fill(seed, p, target, offset, n, compressible);
    return n;
  }

  /** Writes bytes {@code [index, index+n)} of the unedited stream for {@code seed}. */
  public static void fill(
      long seed, long index, byte[] target, int offset, int n, boolean compressible) {
    int i = 0;
    if (!compressible) {
      while (i < n && ((index + i) & 7) != 0) {
        target[offset + i] = byteAt(seed, index + i, false);
        i++;
      }
      long base = seed * 0x9E3779B97F4A7C15L;
      while (n - i >= 8) {
        long word = mix(base + ((index + i) >>> 3));
        for (int b = 0; b < 8; b++) {
          target[offset + i + b] = (byte) (word >>> (b * 8));
        }
        i += 8;
      }
    }
    for (; i < n; i++) {
      target[offset + i] = byteAt(seed, index + i, compressible);
    }
  }

  private static byte byteAt(long seed, long index, boolean compressible) {
    if (compressible) {
      long word = mix(seed + (index >>> 6));
      return (byte) ('a' + (int) ((word >>> ((index & 7) * 8)) & 0xff) % 8);
    }
    long word = mix(seed * 0x9E3779B97F4A7C15L + (index >>> 3));
    return (byte) (word >>> ((index & 7) * 8));
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
