package org.gossipdrive.fs.fuse;

import java.io.IOException;
import org.gossipdrive.fs.vfs.DriveException;
import org.gossipdrive.fs.vfs.DriveVfs;

/**
 * The mode bits of {@code fallocate(2)}, as Linux's kernel passes them to FUSE (macOS sends no
 * fallocate). The drive has no blocks to reserve, so it takes KEEP_SIZE and PUNCH_HOLE; a mode it
 * does not know (ZERO_RANGE, COLLAPSE_RANGE, INSERT_RANGE...) is EOPNOTSUPP, which tells callers
 * such as {@code fallocate(1)} and glibc's {@code posix_fallocate} to do without.
 */
final class Fallocate {
  static final int KEEP_SIZE = 0x01;
  static final int PUNCH_HOLE = 0x02;

  private Fallocate() {}

  static void apply(DriveVfs vfs, long handle, int mode, long offset, long length)
      throws IOException {
    if ((mode & ~(KEEP_SIZE | PUNCH_HOLE)) != 0) {
      throw new DriveException(
          DriveException.Reason.NOT_SUPPORTED, "fallocate mode 0x" + Integer.toHexString(mode));
    }
    vfs.allocate(handle, offset, length, (mode & KEEP_SIZE) != 0, (mode & PUNCH_HOLE) != 0);
  }
}
