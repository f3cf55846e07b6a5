package org.gossipdrive.engine.codec;

/** A stored record could not be decoded: it is truncated, oversized or not what it claims. */
public final class CorruptRecordException extends RuntimeException {
  public CorruptRecordException(String message) {
    super(message);
  }
}
