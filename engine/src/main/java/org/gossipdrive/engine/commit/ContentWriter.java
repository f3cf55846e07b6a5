package org.gossipdrive.engine.commit;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.gossipdrive.engine.chunk.ChunkPipeline;
import org.gossipdrive.engine.chunk.EncodedChunk;
import org.gossipdrive.engine.hash.ChunkId;
import org.gossipdrive.engine.store.ChunkStore;
import org.gossipdrive.engine.store.ReplicaDb;
import org.gossipdrive.engine.store.ReplicaDb.Column;
import org.gossipdrive.engine.tree.ChunkRef;

/**
 * Cuts a stream into chunks and stores the ones the replica lacks. Small content stays in memory
 * and is written in the commit's atomic batch; content beyond {@code inlineLimit} is written once,
 * outside the WAL, under a {@link PendingUpload} marker, so big files are not written twice.
 */
public final class ContentWriter {
  private final ChunkPipeline pipeline;
  private final ChunkStore chunks;
  private final ReplicaDb db;
  private final long inlineLimit;
  private final AtomicLong uploadIds = new AtomicLong(System.currentTimeMillis() << 20);

  public ContentWriter(ChunkPipeline pipeline, ChunkStore chunks, ReplicaDb db, long inlineLimit) {
    this.pipeline = pipeline;
    this.chunks = chunks;
    this.db = db;
    this.inlineLimit = inlineLimit;
  }

  /** Must be called while holding the replica's GC gate, until the commit completes. */
  public StagedContent write(InputStream in) throws IOException {
    List<ChunkRef> refs = new ArrayList<>();
    List<EncodedChunk> inline = new ArrayList<>();
    Set<ChunkId> stored = new HashSet<>();
    long[] inlineBytes = {0};
    long[] newBytes = {0};
    PendingUpload[] upload = {null};
    long size =
        pipeline.run(
            in,
            chunk -> {
              refs.add(new ChunkRef(chunk.id(), chunk.rawLength()));
              if (!stored.add(chunk.id()) || chunks.isReferenced(chunk.id())) {
                return;
              }
              newBytes[0] += chunk.rawLength();
              if (upload[0] == null && inlineBytes[0] + chunk.stored().length <= inlineLimit) {
                inline.add(chunk);
                inlineBytes[0] += chunk.stored().length;
                return;
              }
              if (upload[0] == null) {
                upload[0] = begin();
                inline.forEach(chunks::putUnlogged);
                inline.clear();
              }
              chunks.putUnlogged(chunk);
            });
    return new StagedContent(
        new Mutations.Content(refs, size), inline, Optional.ofNullable(upload[0]), newBytes[0]);
  }

  private PendingUpload begin() {
    PendingUpload upload = new PendingUpload(uploadIds.incrementAndGet());
    db.put(Column.META, upload.key(), new byte[0]);
    return upload;
  }

  /**
   * Forgets the marker of a commit that was refused; its chunks are left for garbage collection.
   */
  public void abandon(Optional<PendingUpload> upload) {
    upload.ifPresent(u -> db.delete(Column.META, u.key()));
  }
}
