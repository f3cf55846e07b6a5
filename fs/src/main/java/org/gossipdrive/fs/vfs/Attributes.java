package org.gossipdrive.fs.vfs;

import java.nio.charset.StandardCharsets;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileType;
import org.gossipdrive.engine.tree.FileVersion;

/**
 * What {@code stat} shows of an entry, free of any binding's types. Sizes and times of a file being
 * written are the staged ones; a document another device holds shows without write bits.
 *
 * @param allocatedBytes the bytes held in chunks: the size less its holes ({@code st_blocks})
 * @param readOnlyHere the write bits were hidden because another device holds the lock
 */
public record Attributes(
    FileId id,
    FileType type,
    int permissions,
    long size,
    long allocatedBytes,
    long mtimeNanos,
    boolean readOnlyHere) {

  /** An open file, with what was written to it and not committed yet. */
  static Attributes of(OpenFile file, boolean readOnly) {
    return of(file.version(), file.size(), file.allocatedBytes(), file.mtimeNanos(), readOnly);
  }

  /** An entry as committed. */
  static Attributes of(FileVersion version, boolean readOnly) {
    return of(version, version.size(), version.allocatedBytes(), version.mtimeNanos(), readOnly);
  }

  private static Attributes of(
      FileVersion version, long fileSize, long allocated, long mtimeNanos, boolean readOnly) {
    long size =
        switch (version.type()) {
          case DIRECTORY -> 4096;
          case SYMLINK -> version.symlinkTarget().getBytes(StandardCharsets.UTF_8).length;
          default -> fileSize;
        };
    int permissions = version.mode() & 07777;
    return new Attributes(
        version.id(),
        version.type(),
        readOnly ? permissions & ~0222 : permissions,
        size,
        version.type() == FileType.FILE ? Math.min(allocated, size) : size,
        mtimeNanos,
        readOnly);
  }

  public int linkCount() {
    return type == FileType.DIRECTORY ? 2 : 1;
  }
}
