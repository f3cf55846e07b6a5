package org.gossipdrive.engine.chunk;

/**
 * Decides where chunks end. Implementations are stateless and thread-safe; every peer must cut the
 * same bytes the same way, or deduplication across peers breaks.
 */
public interface Chunker {
  /** The largest chunk this chunker produces; callers offer at least this much when they can. */
  int maxSize();

  /**
   * Returns the length of the chunk that starts at {@code offset}. {@code available} is the number
   * of bytes readable there; it is below {@link #maxSize()} only at the end of the input.
   */
  int cut(byte[] data, int offset, int available);

  /** A short description for logs and benchmarks. */
  String describe();
}
