package org.gossipdrive.engine.chunk;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * FastCDC content-defined chunking with normalized chunking (Xia et al., 2016/2020).
 *
 * <p>A gear rolling hash looks for a cut point; before the average size it needs more zero bits
 * (harder to cut), after it fewer (easier), which narrows the spread of chunk sizes around the
 * average. Because cut points depend only on nearby content, inserting bytes moves only the chunks
 * around the insertion.
 */
public final class FastCdcChunker implements Chunker {
  /**
   * The gear table is part of the on-disk and on-wire format: it must never change, or peers cut
   * differently and stop deduplicating. It is derived from SHA-256 so it is reproducible anywhere.
   */
  private static final long[] GEAR = gearTable();

  private final ChunkingParams params;
  private final long maskHard;
  private final long maskEasy;

  public FastCdcChunker(ChunkingParams params) {
    this.params = params;
    int bits = Integer.numberOfTrailingZeros(params.averageSize());
    // The gear hash shifts left, so its high bits depend on the most recent 64 bytes: test those.
    this.maskHard = -1L << (64 - (bits + 2));
    this.maskEasy = -1L << (64 - Math.max(1, bits - 2));
  }

  public ChunkingParams params() {
    return params;
  }

  @Override
  public int maxSize() {
    return params.maxSize();
  }

  @Override
  public int cut(byte[] data, int offset, int available) {
    int n = Math.min(available, params.maxSize());
    if (n <= params.minSize()) {
      return n;
    }
    int normal = Math.min(params.averageSize(), n);
    long fingerprint = 0;
    int i = params.minSize();
    for (; i < normal; i++) {
      fingerprint = (fingerprint << 1) + GEAR[data[offset + i] & 0xff];
      if ((fingerprint & maskHard) == 0) {
        return i + 1;
      }
    }
    for (; i < n; i++) {
      fingerprint = (fingerprint << 1) + GEAR[data[offset + i] & 0xff];
      if ((fingerprint & maskEasy) == 0) {
        return i + 1;
      }
    }
    return n;
  }

  @Override
  public String describe() {
    return "fastcdc " + params.minSize() + "/" + params.averageSize() + "/" + params.maxSize();
  }

  private static long[] gearTable() {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      long[] table = new long[256];
      for (int i = 0; i < table.length; i++) {
        byte[] digest =
            sha256.digest(("gossipdrive gear " + i).getBytes(StandardCharsets.US_ASCII));
        table[i] = ByteBuffer.wrap(digest).getLong();
      }
      return table;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
