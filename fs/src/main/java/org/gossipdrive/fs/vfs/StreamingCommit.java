package org.gossipdrive.fs.vfs;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.tree.FileId;

/**
 * Chunks, hashes and stores a file while an application is still writing it from start to end (dd,
 * cp, a render), so the commit at close has little left to do instead of re-reading the whole file.
 * What it was given is nowhere else: the open file stages nothing while it streams (ADR 28), so a
 * stream ends in a commit ({@link #finish}) unless the file is being thrown away.
 */
final class StreamingCommit {
  private static final byte[] END = new byte[0];
  private static final byte[] ABORT = new byte[0];

  /** Bytes in flight at most: a writer waits rather than outrunning the chunker. */
  static final int MAX_QUEUED_BYTES = 16 << 20;

  private final BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();

  /** One permit per queued byte, whatever the writes' size (128 KiB on libfuse 2, 1 MiB on 3). */
  private final Semaphore room = new Semaphore(MAX_QUEUED_BYTES);

  private final AtomicLong mtimeNanos = new AtomicLong();
  private final CompletableFuture<?> result;
  private long position;

  StreamingCommit(Replica replica, FileId id) {
    result =
        CompletableFuture.runAsync(
            () -> {
              try {
                replica.replaceContentAsync(id, new Feed(), mtimeNanos::get, false).join();
              } catch (IOException e) {
                throw new CompletionException(e);
              }
            },
            command -> Thread.ofVirtual().name("gossipdrive-stream-" + id).start(command));
  }

  /** Where the next write must start for the stream to stay valid. */
  long position() {
    return position;
  }

  void append(byte[] data, int offset, int length) throws IOException {
    put(Arrays.copyOfRange(data, offset, offset + length));
    position += length;
  }

  /** Ends the content and waits for its commit; throws what the commit threw. */
  void finish(long mtime) throws IOException {
    mtimeNanos.set(mtime);
    put(END);
    result.join();
  }

  /** Gives up: the half-read content is discarded and nothing is committed. */
  void abandon() {
    queue.clear();
    queue.offer(ABORT);
    try {
      result.join();
    } catch (CompletionException expected) {
      // the feed threw on ABORT, as intended
    }
  }

  private void put(byte[] piece) throws IOException {
    int permits = Math.min(piece.length, MAX_QUEUED_BYTES);
    try {
      while (!room.tryAcquire(permits, 100, TimeUnit.MILLISECONDS)) {
        if (result.isDone()) {
          result.join(); // surfaces the failure that stopped the consumer
          throw new IOException("the streaming commit stopped early");
        }
      }
      queue.add(piece);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while writing", e);
    }
  }

  /** The content as the chunker reads it, one queued write at a time. */
  private final class Feed extends InputStream {
    private byte[] current = new byte[0];
    private int offset;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int targetOffset, int length) throws IOException {
      while (offset == current.length) {
        if (current == END) {
          return -1;
        }
        room.release(Math.min(current.length, MAX_QUEUED_BYTES));
        try {
          current = queue.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
        offset = 0;
        if (current == ABORT) {
          throw new IOException("streaming commit abandoned");
        }
        if (current == END) {
          return -1;
        }
      }
      int count = Math.min(length, current.length - offset);
      System.arraycopy(current, offset, target, targetOffset, count);
      offset += count;
      return count;
    }
  }
}
