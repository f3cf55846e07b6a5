package org.gossipdrive.engine.chunk;

/**
 * Cuts every {@code size} bytes. Cheaper than content-defined chunking, but one inserted byte
 * shifts every later chunk, so it suits files that are only ever overwritten in place.
 */
public record FixedSizeChunker(int size) implements Chunker {
  public FixedSizeChunker {
    if (size < 1 || size > ChunkingParams.LIMIT) {
      throw new IllegalArgumentException("fixed chunk size must be 1.." + ChunkingParams.LIMIT);
    }
  }

  @Override
  public int maxSize() {
    return size;
  }

  @Override
  public int cut(byte[] data, int offset, int available) {
    return Math.min(size, available);
  }

  @Override
  public String describe() {
    return "fixed " + size;
  }
}
