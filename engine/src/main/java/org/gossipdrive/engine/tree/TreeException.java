package org.gossipdrive.engine.tree;

/**
 * A tree change was refused because it would break the tree (name taken, parent missing, directory
 * not empty...). Nothing was changed. {@link Reason} maps one-to-one onto POSIX errors for the
 * drive.
 */
public final class TreeException extends RuntimeException {
  /** Why a change was refused. */
  public enum Reason {
    NOT_FOUND,
    ALREADY_EXISTS,
    NOT_A_DIRECTORY,
    IS_A_DIRECTORY,
    NOT_EMPTY,
    INVALID_NAME,
    /** A name longer than the tree allows (ENAMETOOLONG). */
    NAME_TOO_LONG,
    INVALID_MOVE
  }

  private final Reason reason;

  public TreeException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
