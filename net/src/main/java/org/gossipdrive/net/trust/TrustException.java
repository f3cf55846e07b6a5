package org.gossipdrive.net.trust;

/** A trust record is missing, malformed, or not signed by a member. */
public final class TrustException extends RuntimeException {
  public TrustException(String message) {
    super(message);
  }
}
