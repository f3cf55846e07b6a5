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
 *
 * <p>The spill file is not laid out like the drive's file: a sparse drive file may be far larger
 * than the local disk allows (1 PiB on ext4's 16 TiB), so each {@link #SLAB} of the drive's file
 * that was written gets a slot at the spill file's end, in the order they were first written.
 */
final class Staging implements AutoCloseable {
  static final int MEMORY_LIMIT = 1 << 20;

  /** The unit of the spill file's map: a write in order fills its slots in order. */
  static final int SLAB = 1 << 20;

  private final Path directory;
  private final String name;
  private byte[] memory = new byte[0];
  private FileChannel spill;
  private Path spillPath;

  /** Which slot of the spill file holds each slab of the drive's file (slab index to slot). */
  private final java.util.TreeMap<Long, Long> slots = new java.util.TreeMap<>();

  /** Where the next new slot goes: slots of forgotten slabs are not reused. */
  private long spillEnd;

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
      int done = 0;
      while (done < length) {
        long position = offset + done;
        int run = (int) Math.min(length - done, SLAB - position % SLAB);
        ByteBuffer buffer = ByteBuffer.wrap(data, done, run);
        long at = slotOf(position / SLAB, true) + position % SLAB;
        while (buffer.hasRemaining()) {
          at += spill.write(buffer, at);
        }
        done += run;
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
    int done = 0;
    while (done < length) {
      long position = offset + done;
      int run = (int) Math.min(length - done, SLAB - position % SLAB);
      long slot = slotOf(position / SLAB, false);
      if (slot < 0) {
        Arrays.fill(target, targetOffset + done, targetOffset + done + run, (byte) 0);
      } else {
        readFully(slot + position % SLAB, target, targetOffset + done, run);
      }
      done += run;
    }
  }

  private void readFully(long at, byte[] target, int targetOffset, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(target, targetOffset, length);
    while (buffer.hasRemaining()) {
      int read = spill.read(buffer, at + buffer.position() - targetOffset);
      if (read < 0) {
        Arrays.fill(target, buffer.position(), targetOffset + length, (byte) 0);
        return;
      }
    }
  }

  /** The spill offset of {@code slab}'s slot; a new one at the end, or -1, when it has none. */
  private long slotOf(long slab, boolean create) {
    Long slot = slots.get(slab);
    if (slot == null) {
      if (!create) {
        return -1;
      }
      slot = spillEnd;
      spillEnd += SLAB;
      slots.put(slab, slot);
    }
    return slot;
  }

  void truncate(long size) throws IOException {
    if (spill != null) {
      // Slabs past the cut are forgotten; their slots stay in the spill file until it goes, and
      // bytes past the cut in the last slab are never read (the file's Extents were trimmed).
      slots.tailMap((size + SLAB - 1) / SLAB, true).clear();
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
    byte[] held = memory;
    memory = new byte[0];
    write(0, held, held.length);
  }

  @Override
  public void close() throws IOException {
    if (spill != null) {
      spill.close();
      spill = null;
      Files.deleteIfExists(spillPath);
      spillPath = null;
      slots.clear();
      spillEnd = 0;
    }
  }
}
