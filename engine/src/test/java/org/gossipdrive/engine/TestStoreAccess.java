package org.gossipdrive.engine;

import org.gossipdrive.engine.hash.ChunkId;
import org.gossipdrive.engine.store.ReplicaDb;

/** Reaches under the engine's API to damage a store on purpose. */
final class TestStoreAccess {
  private TestStoreAccess() {}

  static ReplicaDb db(Replica replica) {
    try {
      var field = Replica.class.getDeclaredField("db");
      field.setAccessible(true);
      return (ReplicaDb) field.get(replica);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] rawChunk(Replica replica, ChunkId id) {
    return db(replica).get(ReplicaDb.Column.CHUNKS, id.toBytes());
  }

  static void putRawChunk(Replica replica, ChunkId id, byte[] value) {
    db(replica).putRaw(ReplicaDb.Column.CHUNKS, id.toBytes(), value);
  }
}
