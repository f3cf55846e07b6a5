package org.gossipdrive.engine.chunk;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * Splits a stream into chunks and encodes them (hash + compression) in parallel on a pool, handing
 * them to the consumer in order. At most {@code window} chunks are in flight, so a 100 GiB file
 * needs only window x max-chunk-size of memory.
 */
public final class ChunkPipeline {
  /** Receives encoded chunks, and the holes between them, in file order. */
  @FunctionalInterface
  public interface Sink {
    void accept(EncodedChunk chunk) throws IOException;

    /** A hole of {@code length} bytes, from a stream that implements {@link Holes}. */
    default void hole(long length) throws IOException {
      throw new IllegalStateException("this sink takes no holes");
    }
  }

  private static final int MIN_BUFFER = 4 << 10;
  private static final int UNKNOWN_SIZE_BUFFER = 128 << 10;

  /** A long stream's buffer holds this many maximal chunks: a compaction then moves a quarter. */
  private static final int MAX_BUFFER_CHUNKS = 4;

  private final Chunker chunker;
  private final ChunkCodec codec;
  private final ExecutorService pool;
  private final int window;

  public ChunkPipeline(Chunker chunker, ChunkCodec codec, ExecutorService pool, int window) {
    this.chunker = chunker;
    this.codec = codec;
    this.pool = pool;
    this.window = Math.max(1, window);
  }

  public Chunker chunker() {
    return chunker;
  }

  /**
   * Reads {@code in} to its end; returns the number of bytes read, holes included. A stream that
   * implements {@link Holes} has each hole passed to the sink as one extent: a data run before a
   * hole ends in a chunk of its own, as the end of a stream does.
   */
  public long run(InputStream in, Sink sink) throws IOException {
    Holes holes = in instanceof Holes h ? h : null;
    int max = chunker.maxSize();
    byte[] buffer = new byte[initialBufferSize(in, max)];
    int start = 0;
    int end = 0;
    boolean eof = false;
    long total = 0;
    ArrayDeque<CompletableFuture<EncodedChunk>> inFlight = new ArrayDeque<>();
    try {
      while (true) {
        // The chunker must see max bytes (or the end of input) to cut the same way every time.
        boolean atHole = false;
        while (!eof && end - start < max) {
          if (holes != null && holes.holeAtPosition() > 0) {
            atHole = true; // the data run ends here, as a stream does at its end
            break;
          }
          if (end == buffer.length) {
            buffer = makeRoom(buffer, start, end, max);
            end -= start;
            start = 0;
          }
          int read = in.read(buffer, end, buffer.length - end);
          if (read < 0) {
            eof = true;
          } else {
            end += read;
            total += read;
          }
        }
        if (start == end) {
          if (!atHole) {
            break;
          }
          while (!inFlight.isEmpty()) {
            sink.accept(join(inFlight.poll())); // in file order: the data before the hole first
          }
          long hole = holes.holeAtPosition();
          holes.skipHole(hole);
          sink.hole(hole);
          total += hole;
          continue;
        }
        int length = chunker.cut(buffer, start, end - start);
        // The chunk's one copy, into the array that becomes its stored form if it stays raw.
        byte[] framed = ChunkCodec.frame(buffer, start, length);
        start += length;
        if (eof && start == end && inFlight.isEmpty()) {
          // A file of one chunk (most files): encoding here saves two thread hand-offs.
          sink.accept(codec.encodeFramed(framed));
          break;
        }
        inFlight.add(CompletableFuture.supplyAsync(() -> codec.encodeFramed(framed), pool));
        if (inFlight.size() >= window) {
          sink.accept(join(inFlight.poll()));
        }
      }
      while (!inFlight.isEmpty()) {
        sink.accept(join(inFlight.poll()));
      }
      return total;
    } finally {
      inFlight.forEach(f -> f.cancel(false));
    }
  }

  /**
   * Moves the unread bytes {@code start..end} of a full buffer to the front, growing it first
   * (doubling, up to {@link #MAX_BUFFER_CHUNKS} maximal chunks) while they fill more than half of
   * it. Compacting whenever one chunk had been cut moved up to three times the bytes consumed: the
   * chunker keeps a maximal chunk (4 MiB) ahead and cuts about 1 MiB at a time, and that move was
   * the biggest cost of a sequential write through the drive.
   */
  private static byte[] makeRoom(byte[] buffer, int start, int end, int max) {
    byte[] target = buffer;
    boolean crowded = end - start > buffer.length / 2;
    if ((start == 0 || crowded) && buffer.length < MAX_BUFFER_CHUNKS * max) {
      target = new byte[(int) Math.min((long) MAX_BUFFER_CHUNKS * max, 2L * buffer.length)];
    }
    System.arraycopy(buffer, start, target, 0, end - start);
    return target;
  }

  /**
   * Start small and grow: most files are small. A stream that says how much it holds (an open
   * file's staged content does) gets exactly that, plus one byte so its end is seen without
   * growing: allocating and zeroing a 128 KiB buffer for each 4 KiB file cost more than hashing and
   * storing it (measured on the mounted drive: 80 of 230 microseconds per small file).
   */
  private static int initialBufferSize(InputStream in, int max) throws IOException {
    int announced = in.available();
    long guess = announced > 0 ? announced + 1L : UNKNOWN_SIZE_BUFFER;
    return (int) Math.min((long) MAX_BUFFER_CHUNKS * max, Math.max(MIN_BUFFER, guess));
  }

  private static EncodedChunk join(CompletableFuture<EncodedChunk> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof UncheckedIOException io) {
        throw io;
      }
      throw e;
    }
  }
}
