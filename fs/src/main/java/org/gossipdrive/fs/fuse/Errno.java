package org.gossipdrive.fs.fuse;

import org.gossipdrive.fs.vfs.DriveException;
import ru.serce.jnrfuse.ErrorCodes;

/** The POSIX error number of each reason the drive refuses an operation for (positive). */
final class Errno {
  /** Not in jnr-fuse's table; the same on every platform FUSE runs on. */
  static final int E2BIG = 7;

  private Errno() {}

  static int of(DriveException.Reason reason) {
    return switch (reason) {
      case NOT_FOUND -> ErrorCodes.ENOENT();
      case EXISTS -> ErrorCodes.EEXIST();
      case NOT_A_DIRECTORY -> ErrorCodes.ENOTDIR();
      case IS_A_DIRECTORY -> ErrorCodes.EISDIR();
      case NOT_EMPTY -> ErrorCodes.ENOTEMPTY();
      case INVALID -> ErrorCodes.EINVAL();
      case NAME_TOO_LONG -> ErrorCodes.ENAMETOOLONG();
      case LOCKED_ELSEWHERE -> ErrorCodes.EACCES();
      case NOT_PERMITTED -> ErrorCodes.EPERM();
      case BAD_HANDLE -> ErrorCodes.EBADF();
      case BUSY -> ErrorCodes.EBUSY();
      case NOT_SUPPORTED -> ErrorCodes.EOPNOTSUPP();
      case NO_ATTRIBUTE -> ErrorCodes.ENODATA();
      case RANGE -> ErrorCodes.ERANGE();
      case TOO_BIG -> E2BIG;
      case FILE_TOO_BIG -> ErrorCodes.EFBIG();
      case NO_SUCH_OFFSET -> ErrorCodes.ENXIO();
      case NO_SPACE -> ErrorCodes.ENOSPC();
      case INTERRUPTED -> ErrorCodes.EINTR();
    };
  }
}
