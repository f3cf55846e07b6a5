package org.gossipdrive.engine.commit;

import java.io.IOException;
import java.util.List;
import java.util.function.BiConsumer;
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

  /**
   * Delivers the raw bytes of each requested chunk to {@code sink}, in any order, and returns when
   * all were delivered.
   *
   * @throws IOException if some chunk cannot be obtained
   */
  void fetch(List<ChunkId> ids, BiConsumer<ChunkId, byte[]> sink) throws IOException;
}
