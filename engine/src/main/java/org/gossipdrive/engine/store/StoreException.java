package org.gossipdrive.engine.store;

/** The store could not do what was asked (I/O error, damaged database, refused state). */
public class StoreException extends RuntimeException {
  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
