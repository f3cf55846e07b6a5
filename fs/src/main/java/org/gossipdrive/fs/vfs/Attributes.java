package org.gossipdrive.fs.vfs;

import java.nio.charset.StandardCharsets;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileType;
import org.gossipdrive.engine.tree.FileVersion;

/**
 * What {@code stat} shows of an entry, free of any binding's types. Sizes and times of a file being
 * written are the staged ones; a document another device holds shows without write bits.
 *
 * @param readOnlyHere the write bits were hidden because another device holds the lock
 */
public record Attributes(
    FileId id, FileType type, int permissions, long size, long mtimeNanos, boolean readOnlyHere) {

  static Attributes of(FileVersion version, long fileSize, long mtimeNanos, boolean readOnly) {
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
        mtimeNanos,
        readOnly);
  }

  public int linkCount() {
    return type == FileType.DIRECTORY ? 2 : 1;
  }
}
