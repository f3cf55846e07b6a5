package org.gossipdrive.engine.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.gossipdrive.engine.hash.ChunkId;
import org.junit.jupiter.api.Test;

class ChunkPipelineTest {
  /** Returns at most a few random bytes per read, like a slow pipe or a FUSE write stream. */
  private static final class TricklingStream extends InputStream {
    private final InputStream in;
    private final Random random = new Random(9);

    TricklingStream(byte[] data) {
      in = new ByteArrayInputStream(data);
    }

    @Override
    public int read() throws IOException {
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return in.read(b, off, Math.min(len, 1 + random.nextInt(7000)));
    }
  }

  private static ChunkPipeline pipeline(ExecutorService pool) {
    return new ChunkPipeline(
        new FastCdcChunker(new ChunkingParams(4096, 16384, 65536)), new ChunkCodec(), pool, 4);
  }

  private static List<ChunkId> chunkIds(InputStream in) throws IOException {
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      ChunkPipeline pipeline = pipeline(pool);
      List<ChunkId> ids = new ArrayList<>();
      pipeline.run(in, chunk -> ids.add(chunk.id()));
      return ids;
    }
  }

  @Test
  void cutPointsDoNotDependOnHowTheStreamDeliversBytes() throws IOException {
    byte[] data = new byte[3 << 20];
    new Random(1).nextBytes(data);
    List<ChunkId> whole = chunkIds(new ByteArrayInputStream(data));
    List<ChunkId> trickled = chunkIds(new TricklingStream(data));
    assertEquals(whole, trickled);
    assertEquals(true, whole.size() > 50);
  }

  /** The buffer is sized from available(); a wrong figure must change nothing but speed. */
  @Test
  void aStreamThatMisstatesItsSizeIsCutTheSameWay() throws IOException {
    for (int size : new int[] {5, 4096, 4097, 300 << 10}) {
      byte[] data = new byte[size];
      new Random(size).nextBytes(data);
      List<ChunkId> exact = chunkIds(new ByteArrayInputStream(data));
      for (int claimed : new int[] {1, size - 1, size + 1, 1 << 20, Integer.MAX_VALUE}) {
        InputStream misstated =
            new ByteArrayInputStream(data) {
              @Override
              public synchronized int available() {
                return claimed;
              }
            };
        assertEquals(exact, chunkIds(misstated), size + " bytes announced as " + claimed);
      }
    }
  }

  /** Long streams grow the buffer and compact it; neither may move a cut point or lose a byte. */
  @Test
  void aLongStreamIsCutAsTheSameBytesInOneArrayAre() throws IOException {
    byte[] data = new byte[40 << 20];
    new Random(3).nextBytes(data);
    // Compressible stretches too, so both stored forms are on the path.
    java.util.Arrays.fill(data, 5 << 20, 9 << 20, (byte) 'x');
    List<ChunkId> streamed = chunkIds(new TricklingStream(data));
    FastCdcChunker chunker = new FastCdcChunker(new ChunkingParams(4096, 16384, 65536));
    List<ChunkId> direct = new ArrayList<>();
    for (int offset = 0; offset < data.length; ) {
      int length = chunker.cut(data, offset, data.length - offset);
      direct.add(new ChunkCodec().encode(data, offset, length).id());
      offset += length;
    }
    assertEquals(direct, streamed);
  }

  /** Data, a hole of a petabyte, data: read in small pieces, never crossing into the hole. */
  private static final class SparseStream extends InputStream implements Holes {
    private final byte[] before;
    private final long hole;
    private final byte[] after;
    private final Random random = new Random(4);
    private long position;

    SparseStream(byte[] before, long hole, byte[] after) {
      this.before = before;
      this.hole = hole;
      this.after = after;
    }

    @Override
    public long holeAtPosition() {
      return position == before.length ? hole : 0;
    }

    @Override
    public void skipHole(long length) {
      if (position != before.length || length != hole) {
        throw new AssertionError("skipped " + length + " at " + position);
      }
      position += length;
    }

    @Override
    public int read() {
      throw new UnsupportedOperationException();
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (position == before.length) {
        throw new AssertionError("read into the hole");
      }
      byte[] source = position < before.length ? before : after;
      long start = position < before.length ? 0 : before.length + hole;
      int at = (int) (position - start);
      if (at == source.length) {
        return -1;
      }
      int n = Math.min(Math.min(len, source.length - at), 1 + random.nextInt(7000));
      System.arraycopy(source, at, b, off, n);
      position += n;
      return n;
    }
  }

  @Test
  void aHoleIsOneExtentBetweenDataCutAsIfEachRunStoodAlone() throws IOException {
    byte[] before = new byte[300 << 10];
    byte[] after = new byte[70 << 10];
    new Random(5).nextBytes(before);
    new Random(6).nextBytes(after);
    long petabyte = 1L << 50;
    List<Object> extents = new ArrayList<>();
    long total;
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      ChunkPipeline pipeline = pipeline(pool);
      total =
          pipeline.run(
              new SparseStream(before, petabyte, after),
              new ChunkPipeline.Sink() {
                @Override
                public void accept(EncodedChunk chunk) {
                  extents.add(chunk.id());
                }

                @Override
                public void hole(long length) {
                  extents.add(length);
                }
              });
    }
    List<Object> expected = new ArrayList<>(chunkIds(new ByteArrayInputStream(before)));
    expected.add(petabyte);
    expected.addAll(chunkIds(new ByteArrayInputStream(after)));
    assertEquals(expected, extents);
    assertEquals(before.length + petabyte + after.length, total);
  }

  @Test
  void emptyInputHasNoChunks() throws IOException {
    assertEquals(List.of(), chunkIds(new ByteArrayInputStream(new byte[0])));
  }
}
