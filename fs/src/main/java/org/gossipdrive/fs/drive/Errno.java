package org.gossipdrive.fs.drive;

import org.gossipdrive.engine.tree.TreeException;
import ru.serce.jnrfuse.ErrorCodes;

/**
 * POSIX error numbers as FUSE wants them (negative), and the engine's refusals mapped onto them.
 */
final class Errno {
  /** Not in jnr-fuse's table; the same on every platform FUSE runs on. */
  static final int E2BIG = 7;

  private Errno() {}

  static int of(TreeException e) {
    return -switch (e.reason()) {
      case NOT_FOUND -> ErrorCodes.ENOENT();
      case ALREADY_EXISTS -> ErrorCodes.EEXIST();
      case NOT_A_DIRECTORY -> ErrorCodes.ENOTDIR();
      case IS_A_DIRECTORY -> ErrorCodes.EISDIR();
      case NOT_EMPTY -> ErrorCodes.ENOTEMPTY();
      case INVALID_NAME ->
          e.getMessage().contains("longer") ? ErrorCodes.ENAMETOOLONG() : ErrorCodes.EINVAL();
      case INVALID_MOVE -> ErrorCodes.EINVAL();
    };
  }

  /** Thrown inside an operation to answer with an error number. */
  static final class Failure extends RuntimeException {
    private final int errno;

    Failure(int positiveErrno) {
      super(null, null, false, false);
      this.errno = -positiveErrno;
    }

    int errno() {
      return errno;
    }
  }

  static Failure fail(int positiveErrno) {
    return new Failure(positiveErrno);
  }
}
