package org.gossipdrive.fs.vfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.gossipdrive.engine.Replica;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file written in order from its start streams into chunking and is never copied to a staging
 * file (ADR 28); whatever else then happens to it (a read, a write elsewhere, a truncate, an
 * unlink) it still reads back exactly what was written.
 */
class InOrderWritesTest {
  private static final Caller APP = new Caller(ProcessHandle.current().pid(), 1000, 1000);
  private static final OpenFlags WRITE_NEW = new OpenFlags(true, true, false);
  private static final int PIECE = 128 << 10;

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private Replica replica;
  private DriveVfs vfs;
  private Path staging;

  @BeforeEach
  void openDrive() throws Exception {
    replica = TestReplicas.open(dir, "BOB", open);
    staging = dir.resolve("staging");
    vfs = new DriveVfs(replica, staging, DriveServices.standalone(replica.options().device(), "b"));
    open.add(vfs);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** Writes {@code content[from, to)} in 128 KiB pieces, as the kernel sends them. */
  private void writeInOrder(long handle, byte[] content, int from, int to) throws Exception {
    for (int at = from; at < to; at += PIECE) {
      int length = Math.min(PIECE, to - at);
      vfs.write(handle, at, Arrays.copyOfRange(content, at, at + length), length);
    }
  }

  private byte[] readThrough(long handle, int size) throws Exception {
    byte[] back = new byte[size + 1];
    int done = 0;
    while (done < back.length) {
      byte[] piece = new byte[PIECE];
      int read = vfs.read(null, handle, done, piece, Math.min(PIECE, back.length - done));
      if (read <= 0) {
        break;
      }
      System.arraycopy(piece, 0, back, done, read);
      done += read;
    }
    return Arrays.copyOf(back, done);
  }

  private byte[] committed(String path) throws Exception {
    long handle = vfs.open(APP, path, OpenFlags.READ);
    try {
      return readThrough(handle, (int) replica.resolve(path).orElseThrow().size());
    } finally {
      vfs.release(handle);
    }
  }

  private long stagedBytes() throws Exception {
    if (!Files.isDirectory(staging)) {
      return 0;
    }
    try (var files = Files.list(staging)) {
      return files.mapToLong(p -> p.toFile().length()).sum();
    }
  }

  @Test
  void aFileWrittenInOrderIsNeverStagedAndIsOneVersion() throws Exception {
    byte[] content = random(9 << 20, 1);
    long handle = vfs.create(APP, "/render.exr", 0644, WRITE_NEW);
    writeInOrder(handle, content, 0, content.length);
    assertEquals(0, stagedBytes(), "nothing written in order goes to a staging file");
    assertEquals(content.length, vfs.attributes("/render.exr").size(), "the size while written");
    vfs.release(handle);
    // The entry is created (empty) when the file starts streaming (ADR 30), then one version.
    var id = replica.resolve("/render.exr").orElseThrow().id();
    assertEquals(2, replica.history(id).size(), "one version for the whole write");
    assertArrayEquals(content, committed("/render.exr"));
  }

  @Test
  void aReadWhileWritingInOrderSeesEverythingWrittenAndTheWriteGoesOn() throws Exception {
    byte[] content = random(6 << 20, 2);
    long handle = vfs.create(APP, "/log.bin", 0644, WRITE_NEW);
    writeInOrder(handle, content, 0, 3 << 20);
    assertArrayEquals(Arrays.copyOf(content, 3 << 20), readThrough(handle, 3 << 20));
    writeInOrder(handle, content, 3 << 20, content.length);
    assertArrayEquals(content, readThrough(handle, content.length), "before the close");
    vfs.release(handle);
    assertArrayEquals(content, committed("/log.bin"), "after the close");
  }

  @Test
  void aWriteBackIntoStreamedBytesPatchesThem() throws Exception {
    byte[] content = random(5 << 20, 3);
    long handle = vfs.create(APP, "/archive.zip", 0644, WRITE_NEW);
    writeInOrder(handle, content, 0, content.length);
    byte[] header = random(4096, 4); // a zip writer goes back to fill in its header
    vfs.write(handle, 100, header, header.length);
    System.arraycopy(header, 0, content, 100, header.length);
    byte[] tail = random(PIECE, 5);
    vfs.write(handle, content.length, tail, tail.length);
    vfs.release(handle);
    byte[] expected = Arrays.copyOf(content, content.length + tail.length);
    System.arraycopy(tail, 0, expected, content.length, tail.length);
    assertArrayEquals(expected, committed("/archive.zip"));
  }

  @Test
  void aTruncateWhileStreamingCutsWhatWasStreamed() throws Exception {
    byte[] content = random(4 << 20, 6);
    long handle = vfs.create(APP, "/cut.bin", 0644, WRITE_NEW);
    writeInOrder(handle, content, 0, content.length);
    vfs.truncate(handle, 3_000_000);
    assertEquals(3_000_000, vfs.attributes(null, handle).size());
    vfs.release(handle);
    assertArrayEquals(Arrays.copyOf(content, 3_000_000), committed("/cut.bin"));
  }

  @Test
  void aFileUnlinkedWhileStreamingStaysReadableThroughItsHandle() throws Exception {
    byte[] content = random(3 << 20, 7);
    long handle = vfs.create(APP, "/scratch.tmp", 0644, WRITE_NEW);
    writeInOrder(handle, content, 0, content.length);
    vfs.unlink(APP, "/scratch.tmp");
    assertArrayEquals(content, readThrough(handle, content.length));
    vfs.release(handle);
    assertEquals(0, stagedBytes());
  }
}
