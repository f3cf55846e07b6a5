package org.gossipdrive.engine.store;

import org.gossipdrive.engine.hash.ChunkId;

/** A version needs a chunk this replica does not hold (not fetched yet, or lost). */
public final class MissingChunkException extends StoreException {
  private final ChunkId chunk;

  public MissingChunkException(ChunkId chunk) {
    super("chunk " + chunk + " is not in the store");
    this.chunk = chunk;
  }

  public ChunkId chunk() {
    return chunk;
  }
}
