package org.gossipdrive.engine.store;

import org.gossipdrive.engine.chunk.ChunkCodec;
import org.gossipdrive.engine.chunk.CorruptChunkException;
import org.gossipdrive.engine.chunk.EncodedChunk;
import org.gossipdrive.engine.hash.ChunkId;
import org.gossipdrive.engine.store.ReplicaDb.Column;
import org.rocksdb.WriteBatch;

/**
 * Content-addressed chunk storage: each chunk once, under its BLAKE3 hash, with a reference count
 * kept in a separate family (so counting never rewrites chunk payloads). Reads always re-verify.
 */
public final class ChunkStore {
  private final ReplicaDb db;
  private final ChunkCodec codec;

  public ChunkStore(ReplicaDb db, ChunkCodec codec) {
    this.db = db;
    this.codec = codec;
  }

  /** Whether some version references this chunk (so it is stored and safe from GC). */
  public boolean isReferenced(ChunkId id) {
    return refCount(id) > 0;
  }

  /** The number of stored versions that reference this chunk. */
  public long refCount(ChunkId id) {
    byte[] value = db.get(Column.CHUNK_REFS, id.toBytes());
    return value == null ? 0 : RefCounts.decode(value, id);
  }

  /** Whether the chunk's bytes are present (verified or not). */
  public boolean contains(ChunkId id) {
    return db.get(Column.CHUNKS, id.toBytes()) != null;
  }

  /**
   * Returns the chunk's verified raw bytes.
   *
   * @throws MissingChunkException if it is not stored
   * @throws CorruptChunkException if it is stored but damaged
   */
  public byte[] read(ChunkId id) {
    return codec.decode(id, stored(id));
  }

  /** The verified raw bytes as a read-only buffer, without copying a chunk stored raw. */
  public java.nio.ByteBuffer readShared(ChunkId id) {
    return codec.decodeShared(id, stored(id));
  }

  private byte[] stored(ChunkId id) {
    byte[] stored = db.get(Column.CHUNKS, id.toBytes());
    if (stored == null) {
      throw new MissingChunkException(id);
    }
    return stored;
  }

  /**
   * Adds the chunk to an atomic batch (small chunks travel with their version, through the WAL).
   */
  public void put(WriteBatch batch, EncodedChunk chunk) {
    db.put(batch, Column.CHUNKS, chunk.id().toBytes(), chunk.stored());
  }

  /**
   * Writes the chunk outside the WAL: large files are written once, to blob files, instead of
   * twice. The caller must {@link #flush} before committing anything that references it.
   */
  public void putUnlogged(EncodedChunk chunk) {
    db.putWithoutWal(Column.CHUNKS, chunk.id().toBytes(), chunk.stored());
  }

  /** Makes unlogged chunk writes durable. */
  public void flush() {
    db.flush(Column.CHUNKS);
  }

  /** Adds a reference-count change to an atomic batch. */
  public void addReferences(WriteBatch batch, ChunkId id, long delta) {
    db.merge(batch, Column.CHUNK_REFS, id.toBytes(), RefCounts.encode(delta));
  }
}
