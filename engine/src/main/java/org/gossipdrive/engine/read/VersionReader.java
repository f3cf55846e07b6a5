package org.gossipdrive.engine.read;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.gossipdrive.engine.store.ChunkStore;
import org.gossipdrive.engine.tree.ChunkRef;
import org.gossipdrive.engine.tree.FileVersion;

/**
 * Random-access reads of one file version at any offset, chunk by chunk, never holding the whole
 * file in memory. Sequential access prefetches the next chunks in the background.
 */
public final class VersionReader {
  private static final int PREFETCH_DEPTH = 4;

  private final FileVersion version;
  private final java.util.Map<Integer, CompletableFuture<java.nio.ByteBuffer>> loading =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final ChunkStore store;
  private final ChunkCache cache;
  private final Executor prefetcher;
  private final long[] starts;
  private volatile int lastChunk = -1;

  public VersionReader(
      FileVersion version, ChunkStore store, ChunkCache cache, Executor prefetcher) {
    this.version = version;
    this.store = store;
    this.cache = cache;
    this.prefetcher = prefetcher;
    List<ChunkRef> chunks = version.chunks();
    starts = new long[chunks.size() + 1];
    for (int i = 0; i < chunks.size(); i++) {
      starts[i + 1] = starts[i] + chunks.get(i).length();
    }
  }

  public FileVersion version() {
    return version;
  }

  public long size() {
    return starts[starts.length - 1];
  }

  /**
   * The length of the hole at {@code position}, 0 where data is (or at the end): lets a writer
   * carry a base's holes into the next version without reading them.
   */
  public long holeAt(long position) {
    if (position < 0 || position >= size()) {
      return 0;
    }
    int index = chunkAt(position);
    return version.chunks().get(index).isHole() ? starts[index + 1] - position : 0;
  }

  /** Where the extent (chunk or hole) that holds {@code position} ends. */
  public long extentEnd(long position) {
    if (position < 0 || position >= size()) {
      return size();
    }
    return starts[chunkAt(position) + 1];
  }

  /**
   * Copies up to {@code length} bytes at {@code offset} into {@code target}; returns how many, 0 at
   * or past the end of the file (like pread).
   */
  public int read(long offset, byte[] target, int targetOffset, int length) {
    if (offset < 0) {
      throw new IllegalArgumentException("negative read offset " + offset);
    }
    java.util.Objects.checkFromIndexSize(targetOffset, length, target.length);
    int copied = 0;
    while (copied < length && offset + copied < size()) {
      long position = offset + copied;
      int index = chunkAt(position);
      if (version.chunks().get(index).isHole()) {
        // A hole reads as zeros, with nothing to load: a sparse petabyte costs nothing to read.
        int n = (int) Math.min(length - copied, starts[index + 1] - position);
        Arrays.fill(target, targetOffset + copied, targetOffset + copied + n, (byte) 0);
        copied += n;
        lastChunk = index;
        continue;
      }
      java.nio.ByteBuffer chunk = chunk(index);
      int within = (int) (position - starts[index]);
      int n = Math.min(length - copied, chunk.capacity() - within);
      chunk.get(within, target, targetOffset + copied, n);
      copied += n;
      if (index == lastChunk + 1 || index == lastChunk) {
        // Reading in order: keep a few chunks ahead, fetched and verified in parallel, so a
        // sequential reader waits on neither the disk nor the hash.
        for (int ahead = 1; ahead <= PREFETCH_DEPTH; ahead++) {
          prefetch(index + ahead);
        }
      }
      lastChunk = index;
    }
    return copied;
  }

  private int chunkAt(long position) {
    int found = Arrays.binarySearch(starts, position);
    return found >= 0 ? found : -found - 2;
  }

  private java.nio.ByteBuffer chunk(int index) {
    ChunkRef ref = version.chunks().get(index);
    java.nio.ByteBuffer cached = cache.get(ref.id());
    if (cached != null) {
      return cached;
    }
    CompletableFuture<java.nio.ByteBuffer> pending = loading.get(index);
    if (pending != null) {
      // A prefetch is already reading it: wait for that rather than read it twice.
      try {
        return pending.join();
      } catch (java.util.concurrent.CompletionException e) {
        // fall through and read it here, where the failure is reported
      }
    }
    return load(index);
  }

  private java.nio.ByteBuffer load(int index) {
    ChunkRef ref = version.chunks().get(index);
    java.nio.ByteBuffer verified = store.readShared(ref.id());
    if (verified.capacity() != ref.length()) {
      throw new org.gossipdrive.engine.chunk.CorruptChunkException(
          ref.id(), "is " + verified.capacity() + " bytes but the version expects " + ref.length());
    }
    cache.put(ref.id(), verified);
    return verified;
  }

  private void prefetch(int index) {
    if (index >= version.chunks().size()
        || version.chunks().get(index).isHole()
        || cache.get(version.chunks().get(index).id()) != null
        || loading.containsKey(index)) {
      return;
    }
    CompletableFuture<java.nio.ByteBuffer> future = new CompletableFuture<>();
    if (loading.putIfAbsent(index, future) != null) {
      return;
    }
    CompletableFuture.runAsync(
        () -> {
          try {
            future.complete(load(index));
          } catch (RuntimeException e) {
            // the foreground read reports the problem if the chunk is really needed
            future.completeExceptionally(e);
          } finally {
            loading.remove(index);
          }
        },
        prefetcher);
  }
}
