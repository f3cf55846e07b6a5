package org.gossipdrive.engine.chunk;

/**
 * A content stream that knows where its holes are: runs of zeros never written, which the {@link
 * ChunkPipeline} records as holes instead of hashing and storing them. Its reads never cross into a
 * hole; the pipeline asks before each read whether one starts there.
 */
public interface Holes {
  /**
   * The length of the hole that starts at the stream's position; 0 where data is, or at its end.
   */
  long holeAtPosition();

  /** Moves the stream's position past the hole of {@code length} bytes that starts there. */
  void skipHole(long length);
}
