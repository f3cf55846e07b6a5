package org.gossipdrive.net.transport;

import java.io.IOException;

/** A connection could not be set up: refused TLS, wrong peer, or incompatible Hello. */
public final class HandshakeException extends IOException {
  public HandshakeException(String message, Throwable cause) {
    super(message, cause);
  }

  public HandshakeException(String message) {
    super(message);
  }
}
