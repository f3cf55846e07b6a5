package org.gossipdrive.fs.vfs;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.tree.FileId;

/**
 * Chunks, hashes and stores a file while an application is still writing it from start to end (dd,
 * cp, a render), so the commit at close has little left to do instead of re-reading the whole file.
 * Only used while writes arrive strictly in order; anything else abandons it and the file is
 * committed from its staging area as usual.
 */
final class StreamingCommit {
  private static final byte[] END = new byte[0];
  private static final byte[] ABORT = new byte[0];

  /** 8 MiB of 128 KiB writes in flight: a writer waits rather than outrunning the chunker. */
  private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(64);

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
    try {
      while (!queue.offer(piece, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
        if (result.isDone()) {
          result.join(); // surfaces the failure that stopped the consumer
          throw new IOException("the streaming commit stopped early");
        }
      }
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
