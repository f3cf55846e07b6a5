package org.gossipdrive.fs.vfs;

import org.gossipdrive.engine.tree.TreeException;

/**
 * A refused operation of the drive, with the reason a binding turns into its own error number.
 * Expected refusals carry no stack trace: they are answers, not faults.
 */
public final class DriveException extends RuntimeException {
  /** Why an operation was refused; each maps to one POSIX error. */
  public enum Reason {
    NOT_FOUND,
    EXISTS,
    NOT_A_DIRECTORY,
    IS_A_DIRECTORY,
    NOT_EMPTY,
    INVALID,
    NAME_TOO_LONG,
    /** Locked by another device (EACCES). */
    LOCKED_ELSEWHERE,
    /** Not allowed on this drive at all (EPERM): hard links, special files, the lock attribute. */
    NOT_PERMITTED,
    BAD_HANDLE,
    BUSY,
    NOT_SUPPORTED,
    NO_ATTRIBUTE,
    /** A caller's buffer is too small for the answer. */
    RANGE,
    TOO_BIG,
    /** Past the largest file the drive holds (EFBIG). */
    FILE_TOO_BIG,
    /** No data (or no hole) at or after an offset: SEEK_DATA past the last data (ENXIO). */
    NO_SUCH_OFFSET,
    NO_SPACE,
    INTERRUPTED
  }

  private final Reason reason;

  public DriveException(Reason reason) {
    this(reason, reason.name());
  }

  public DriveException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** The drive's reason for a change the engine refused. */
  public static DriveException of(TreeException e) {
    Reason reason =
        switch (e.reason()) {
          case NOT_FOUND -> Reason.NOT_FOUND;
          case ALREADY_EXISTS -> Reason.EXISTS;
          case NOT_A_DIRECTORY -> Reason.NOT_A_DIRECTORY;
          case IS_A_DIRECTORY -> Reason.IS_A_DIRECTORY;
          case NOT_EMPTY -> Reason.NOT_EMPTY;
          case NAME_TOO_LONG -> Reason.NAME_TOO_LONG;
          case INVALID_NAME, INVALID_MOVE -> Reason.INVALID;
        };
    return new DriveException(reason, e.getMessage());
  }
}
