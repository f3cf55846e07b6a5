package org.gossipdrive.engine.commit;

import java.io.IOException;
import java.util.List;
import org.gossipdrive.engine.hash.ChunkId;

/**
 * Port through which the engine obtains chunks it lacks (the network layer fetches them from
 * peers). The engine re-hashes every chunk it is given; a chunk that does not match is refused.
 */
@FunctionalInterface
public interface ChunkSource {
  /** A source for replicas that already hold everything. */
  ChunkSource NONE =
      (ids, sink) -> {
        if (!ids.isEmpty()) {
          throw new IOException(ids.size() + " chunks are missing and no peer can provide them");
        }
      };

  /** Takes delivered chunks. */
  @FunctionalInterface
  interface Sink {
    /**
     * Takes the raw bytes of chunk {@code id}. Returns false when they are not that chunk (wrong
     * length or hash) or were not asked for: the source should get the chunk elsewhere and count
     * the sender as faulty.
     */
    boolean accept(ChunkId id, byte[] raw);
  }

  /**
   * Delivers the raw bytes of each requested chunk to {@code sink}, in any order, and returns when
   * all were delivered (a refused delivery does not count).
   *
   * @throws IOException if some chunk cannot be obtained
   */
  void fetch(List<ChunkId> ids, Sink sink) throws IOException;
}
