package org.gossipdrive.engine.read;

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
  private final LinkedHashMap<ChunkId, byte[]> entries = new LinkedHashMap<>(64, 0.75f, true);

  public ChunkCache(long capacityBytes) {
    this.capacityBytes = capacityBytes;
  }

  public synchronized byte[] get(ChunkId id) {
    return entries.get(id);
  }

  public synchronized void put(ChunkId id, byte[] verified) {
    if (verified.length > capacityBytes) {
      return;
    }
    byte[] previous = entries.put(id, verified);
    usedBytes += verified.length - (previous == null ? 0 : previous.length);
    var it = entries.entrySet().iterator();
    while (usedBytes > capacityBytes && it.hasNext()) {
      Map.Entry<ChunkId, byte[]> eldest = it.next();
      usedBytes -= eldest.getValue().length;
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
