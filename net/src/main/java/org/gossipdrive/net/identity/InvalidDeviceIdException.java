package org.gossipdrive.net.identity;

/** A device id given by a person or a peer is malformed or mistyped. */
public final class InvalidDeviceIdException extends IllegalArgumentException {
  public InvalidDeviceIdException(String message) {
    super(message);
  }
}
