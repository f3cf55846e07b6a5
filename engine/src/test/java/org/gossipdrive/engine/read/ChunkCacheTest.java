package org.gossipdrive.engine.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.gossipdrive.engine.hash.ChunkId;
import org.junit.jupiter.api.Test;

class ChunkCacheTest {
  private static ChunkId id(int n) {
    byte[] hash = new byte[32];
    hash[0] = (byte) n;
    return ChunkId.of(hash);
  }

  @Test
  void theEldestChunksGoWhenTheCapacityIsReached() {
    ChunkCache cache = new ChunkCache(2048);
    cache.put(id(1), java.nio.ByteBuffer.allocate(1024));
    cache.put(id(2), java.nio.ByteBuffer.allocate(1024));
    cache.get(id(1));
    cache.put(id(3), java.nio.ByteBuffer.allocate(1024));
    assertNull(cache.get(id(2)), "the least recently used chunk stayed");
    assertEquals(2048, cache.usedBytes());
  }

  /**
   * Regression: the drive benchmark ran out of heap, because closed replicas still reachable from a
   * binding's unmounted file system kept their caches full.
   */
  @Test
  void clearDropsEveryChunk() {
    ChunkCache cache = new ChunkCache(1 << 20);
    cache.put(id(1), java.nio.ByteBuffer.allocate(4096));
    cache.clear();
    assertNull(cache.get(id(1)));
    assertEquals(0, cache.usedBytes());
  }
}
