package org.gossipdrive.engine.chunk;

import org.gossipdrive.engine.hash.ChunkId;

/**
 * A chunk ready to store: its id (hash of the raw bytes), raw length, and the stored form ({@link
 * ChunkCodec} header plus raw or LZ4 payload).
 */
public record EncodedChunk(ChunkId id, int rawLength, byte[] stored) {}
