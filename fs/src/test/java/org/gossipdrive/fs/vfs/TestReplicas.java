package org.gossipdrive.fs.vfs;

import java.nio.file.Path;
import java.util.List;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.ReplicaOptions;
import org.gossipdrive.engine.commit.ChunkSource;
import org.gossipdrive.engine.hash.ChunkId;
import org.gossipdrive.engine.tree.DeviceId;

/** Real replicas on disk for the vfs tests, named like devices ("ALICE" shows as "alice"). */
final class TestReplicas {
  private TestReplicas() {}

  static Replica open(Path dir, String device, List<AutoCloseable> toClose) {
    Replica replica =
        Replica.open(
            dir.resolve(device),
            ReplicaOptions.defaults(new DeviceId(device))
                .withDeviceNames(id -> id.value().toLowerCase()));
    toClose.add(replica);
    return replica;
  }

  /** Chunks straight from another replica's store, as a peer would send them. */
  static ChunkSource from(Replica sender) {
    return (ids, sink) -> {
      for (ChunkId id : ids) {
        sink.accept(id, sender.chunkStore().read(id));
      }
    };
  }
}
