package org.gossipdrive.fs.fuse;

/** The drive cannot be mounted; the message is one line a user can act on. */
public final class MountException extends RuntimeException {
  public MountException(String message) {
    super(message);
  }
}
