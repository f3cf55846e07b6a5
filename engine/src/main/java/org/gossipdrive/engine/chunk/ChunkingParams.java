package org.gossipdrive.engine.chunk;

/**
 * Minimum, average and maximum chunk sizes for content-defined chunking.
 *
 * <p>The defaults (256 KiB / 1 MiB / 4 MiB) come from the measurements in docs/benchmarks.md: on
 * big binary files they keep a 4 MiB edit to about 6 MiB of new chunks while the per-chunk costs (a
 * RocksDB entry, a hash call, a network request) stay far below the disk's cost.
 */
public record ChunkingParams(int minSize, int averageSize, int maxSize) {
  /** No chunk may exceed this: it bounds every buffer sized from a chunk length read off disk. */
  public static final int LIMIT = 16 << 20;

  public static final ChunkingParams DEFAULT = new ChunkingParams(256 << 10, 1 << 20, 4 << 20);

  public ChunkingParams {
    if (minSize < 64 || minSize > averageSize || averageSize > maxSize || maxSize > LIMIT) {
      throw new IllegalArgumentException(
          "chunk sizes must satisfy 64 <= min <= avg <= max <= "
              + LIMIT
              + ", got "
              + minSize
              + "/"
              + averageSize
              + "/"
              + maxSize);
    }
    if (Integer.bitCount(averageSize) != 1) {
      throw new IllegalArgumentException("the average chunk size must be a power of two");
    }
  }
}
