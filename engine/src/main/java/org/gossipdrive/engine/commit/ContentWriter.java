package org.gossipdrive.engine.commit;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  private final org.gossipdrive.engine.chunk.ChunkCodec codec =
      new org.gossipdrive.engine.chunk.ChunkCodec();
  private final ChunkStore chunks;
  private final ReplicaDb db;
  private final long inlineLimit;
  private final AtomicLong uploadIds = new AtomicLong(System.currentTimeMillis() << 20);
  private volatile java.util.function.Consumer<EncodedChunk> onWrittenAhead = chunk -> {};

  public ContentWriter(ChunkPipeline pipeline, ChunkStore chunks, ReplicaDb db, long inlineLimit) {
    this.pipeline = pipeline;
    this.chunks = chunks;
    this.db = db;
    this.inlineLimit = inlineLimit;
  }

  /**
   * Receives the new chunks of a big local file (past the inline limit) as they are stored, before
   * the file is committed: peers can get them while the file is still being written.
   */
  public void onWrittenAhead(java.util.function.Consumer<EncodedChunk> listener) {
    this.onWrittenAhead = listener;
  }

  /**
   * Must be called while holding the replica's GC gate, until the commit completes. A stream that
   * implements {@link org.gossipdrive.engine.chunk.Holes} keeps its holes as holes.
   */
  public StagedContent write(InputStream in) throws IOException {
    List<ChunkRef> refs = new ArrayList<>();
    NewChunks fresh = new NewChunks(true);
    long size;
    try {
      size =
          pipeline.run(
              in,
              new ChunkPipeline.Sink() {
                @Override
                public void accept(EncodedChunk chunk) throws IOException {
                  refs.add(new ChunkRef(chunk.id(), chunk.rawLength()));
                  fresh.offer(chunk);
                }

                @Override
                public void hole(long length) {
                  refs.add(ChunkRef.hole(length));
                }
              });
    } catch (IOException | RuntimeException e) {
      // The content was cut short (its source failed or gave up): drop what was written ahead.
      fresh.abandon();
      throw e;
    }
    return fresh.staged(new Mutations.Content(refs, size));
  }

  /**
   * Obtains the listed chunks from {@code source}, re-hashing each, and stores those the replica
   * lacks, like {@link #write}. Must be called while holding the GC gate.
   */
  public StagedContent fetch(List<ChunkRef> wanted, ChunkSource source) throws IOException {
    Map<ChunkId, ChunkRef> missing = new LinkedHashMap<>();
    for (ChunkRef ref : wanted) {
      if (!ref.isHole() && !chunks.contains(ref.id())) {
        missing.put(ref.id(), ref);
      }
    }
    NewChunks fresh = new NewChunks(false);
    Set<ChunkId> delivered = new HashSet<>();
    Set<ChunkId> damaged = new HashSet<>();
    IOException[] failure = {null};
    try {
      fetchInto(source, missing, fresh, delivered, damaged, failure);
    } catch (IOException | RuntimeException e) {
      // An interrupted transfer resumes: what arrived stays in the store, so a retry (from this
      // peer or another) asks only for the rest. Unused, it goes at the next garbage collection.
      fresh.keepForRetry();
      throw e;
    }
    return fresh.staged(
        new Mutations.Content(wanted, wanted.stream().mapToLong(ChunkRef::length).sum()));
  }

  private void fetchInto(
      ChunkSource source,
      Map<ChunkId, ChunkRef> missing,
      NewChunks fresh,
      Set<ChunkId> delivered,
      Set<ChunkId> damaged,
      IOException[] failure)
      throws IOException {
    source.fetch(
        List.copyOf(missing.keySet()),
        (id, raw) -> {
          ChunkRef ref = missing.get(id);
          if (ref == null
              || raw.length != ref.length()
              || !ChunkId.hashOf(raw, 0, raw.length).equals(id)) {
            synchronized (fresh) {
              damaged.add(id);
            }
            return false;
          }
          synchronized (fresh) {
            if (delivered.add(id)) {
              try {
                fresh.offer(codec.encode(raw, 0, raw.length));
              } catch (IOException e) {
                failure[0] = e;
              }
            }
          }
          return true;
        });
    if (failure[0] != null) {
      throw failure[0];
    }
    if (delivered.size() != missing.size()) {
      damaged.removeAll(delivered);
      throw new IOException(
          (missing.size() - delivered.size())
              + " chunks were not delivered"
              + (damaged.isEmpty() ? "" : " (" + damaged.size() + " arrived damaged; refused)"));
    }
  }

  /**
   * New chunks of one file: kept for the commit's batch while small, written ahead past the limit.
   */
  private final class NewChunks {
    private final List<EncodedChunk> inline = new ArrayList<>();
    private final Set<ChunkId> seen = new HashSet<>();
    private long inlineBytes;
    private long newBytes;
    private PendingUpload upload;
    private final boolean local;

    NewChunks(boolean local) {
      this.local = local;
    }

    private void writeAhead(EncodedChunk chunk) {
      chunks.putUnlogged(chunk);
      if (local) {
        onWrittenAhead.accept(chunk);
      }
    }

    void offer(EncodedChunk chunk) throws IOException {
      if (!seen.add(chunk.id()) || chunks.isReferenced(chunk.id())) {
        return;
      }
      newBytes += chunk.rawLength();
      if (upload == null && inlineBytes + chunk.stored().length <= inlineLimit) {
        inline.add(chunk);
        inlineBytes += chunk.stored().length;
        return;
      }
      if (upload == null) {
        upload = begin();
        inline.forEach(this::writeAhead);
        inline.clear();
      }
      writeAhead(chunk);
    }

    void abandon() {
      ContentWriter.this.abandon(Optional.ofNullable(upload));
    }

    /** Stores what arrived so far, unreferenced, and forgets the upload. */
    void keepForRetry() {
      inline.forEach(chunks::putUnlogged);
      inline.clear();
      abandon();
    }

    StagedContent staged(Mutations.Content content) {
      return new StagedContent(content, inline, Optional.ofNullable(upload), newBytes);
    }
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
