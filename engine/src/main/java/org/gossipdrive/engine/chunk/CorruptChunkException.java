package org.gossipdrive.engine.chunk;

import org.gossipdrive.engine.hash.ChunkId;

/** A stored chunk failed its check: its bytes are never returned, and the message names it. */
public final class CorruptChunkException extends RuntimeException {
  private final ChunkId chunk;

  public CorruptChunkException(ChunkId chunk, String problem) {
    super("chunk " + chunk + " is corrupt: " + problem);
    this.chunk = chunk;
  }

  public ChunkId chunk() {
    return chunk;
  }
}
