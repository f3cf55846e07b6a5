package org.gossipdrive.engine.tree;

import org.gossipdrive.engine.hash.ChunkId;

/** One entry of a file's ordered chunk list. */
public record ChunkRef(ChunkId id, int length) {}
