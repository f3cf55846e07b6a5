package org.gossipdrive.engine.lock;

/** A device's answer to a lock claim. */
public enum Verdict {
  /** Nothing here stands in the way; the claim is promised until confirmed or abandoned. */
  GRANTED,
  /** Another device holds the lock. */
  HELD,
  /** An older claim is in progress: try again shortly with the same stamp. */
  BUSY
}
