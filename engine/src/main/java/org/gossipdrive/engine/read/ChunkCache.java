package org.gossipdrive.engine.read;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gossipdrive.engine.hash.ChunkId;

/**
 * A byte-bounded LRU of verified, decompressed chunks. Only verified bytes enter, so a hit is as
 * trustworthy as a fresh read.
 */
public final class ChunkCache {
  private final long capacityBytes;
  private long usedBytes;
  private final LinkedHashMap<ChunkId, ByteBuffer> entries = new LinkedHashMap<>(64, 0.75f, true);

  public ChunkCache(long capacityBytes) {
    this.capacityBytes = capacityBytes;
  }

  /** The chunk, read-only, or null; each caller gets its own position and limit. */
  public synchronized ByteBuffer get(ChunkId id) {
    ByteBuffer found = entries.get(id);
    return found == null ? null : found.duplicate();
  }

  public synchronized void put(ChunkId id, ByteBuffer verified) {
    if (verified.capacity() > capacityBytes) {
      return;
    }
    ByteBuffer previous = entries.put(id, verified.asReadOnlyBuffer());
    usedBytes += verified.capacity() - (previous == null ? 0 : previous.capacity());
    var it = entries.entrySet().iterator();
    while (usedBytes > capacityBytes && it.hasNext()) {
      Map.Entry<ChunkId, ByteBuffer> eldest = it.next();
      usedBytes -= eldest.getValue().capacity();
      it.remove();
    }
  }

  /**
   * Drops every chunk. A closed replica calls it: anything that still reaches a closed replica (a
   * binding that keeps its file system object after unmount) then holds no cached content.
   */
  public synchronized void clear() {
    entries.clear();
    usedBytes = 0;
  }

  synchronized long usedBytes() {
    return usedBytes;
  }
}
