package org.gossipdrive.net.wire;

/** A peer sent bytes that are not a valid frame or message; the connection is closed. */
public final class WireException extends Exception {
  public WireException(String message) {
    super(message);
  }
}
