package org.gossipdrive.engine.snapshot;

/** A snapshot file fails its checksum, is truncated, or holds something it may not. */
public final class CorruptSnapshotException extends Exception {
  public CorruptSnapshotException(String message) {
    super(message);
  }
}
