package org.gossipdrive.fs.vfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.gossipdrive.engine.store.OwnerOnly;

/**
 * The bytes written to one open file since its last commit. Small files stay in memory (creating a
 * local file per small write would cost more than the write); past {@link #MEMORY_LIMIT} they spill
 * to a sparse file in the staging directory. Only offsets listed in the file's {@link Extents} are
 * meaningful.
 */
final class Staging implements AutoCloseable {
  static final int MEMORY_LIMIT = 1 << 20;

  private final Path directory;
  private final String name;
  private byte[] memory = new byte[0];
  private FileChannel spill;
  private Path spillPath;

  Staging(Path directory, String name) {
    this.directory = directory;
    this.name = name;
  }

  void write(long offset, byte[] data, int length) throws IOException {
    long end = offset + length;
    if (spill == null && end > MEMORY_LIMIT) {
      spillToDisk();
    }
    if (spill != null) {
      ByteBuffer buffer = ByteBuffer.wrap(data, 0, length);
      long position = offset;
      while (buffer.hasRemaining()) {
        position += spill.write(buffer, position);
      }
      return;
    }
    if (end > memory.length) {
      memory =
          Arrays.copyOf(memory, (int) Math.min(MEMORY_LIMIT, Math.max(end, memory.length * 2L)));
    }
    System.arraycopy(data, 0, memory, (int) offset, length);
  }

  /** Reads staged bytes the caller knows were written. */
  void read(long offset, byte[] target, int targetOffset, int length) throws IOException {
    if (spill == null) {
      System.arraycopy(memory, (int) offset, target, targetOffset, length);
      return;
    }
    ByteBuffer buffer = ByteBuffer.wrap(target, targetOffset, length);
    long position = offset;
    while (buffer.hasRemaining()) {
      int read = spill.read(buffer, position);
      if (read < 0) {
        Arrays.fill(target, targetOffset + buffer.position(), targetOffset + length, (byte) 0);
        return;
      }
      position += read;
    }
  }

  void truncate(long size) throws IOException {
    if (spill != null) {
      spill.truncate(size);
    } else if (size < memory.length) {
      Arrays.fill(memory, (int) size, memory.length, (byte) 0);
    }
  }

  /** Drops everything staged, after a commit. */
  void clear() throws IOException {
    close();
    memory = new byte[0];
  }

  private void spillToDisk() throws IOException {
    OwnerOnly.createDirectories(directory);
    spillPath = Files.createTempFile(directory, name, ".staged", OwnerOnly.fileAttributes());
    spill =
        FileChannel.open(
            spillPath,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE,
            StandardOpenOption.SPARSE);
    ByteBuffer buffer = ByteBuffer.wrap(memory);
    while (buffer.hasRemaining()) {
      spill.write(buffer, buffer.position());
    }
    memory = new byte[0];
  }

  @Override
  public void close() throws IOException {
    if (spill != null) {
      spill.close();
      spill = null;
      Files.deleteIfExists(spillPath);
      spillPath = null;
    }
  }
}
