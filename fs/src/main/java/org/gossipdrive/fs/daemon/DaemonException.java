package org.gossipdrive.fs.daemon;

/** The daemon cannot start or be reached; the message is one line a user can act on. */
public final class DaemonException extends RuntimeException {
  public DaemonException(String message) {
    super(message);
  }
}
