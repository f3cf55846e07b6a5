package org.gossipdrive.engine.lock;

import java.util.Optional;

/**
 * How an acquire ended.
 *
 * @param lock the lock now held by this device, or the other device's lock that refused it
 */
public record AcquireResult(Verdict verdict, Optional<Lock> lock) {
  public boolean granted() {
    return verdict == Verdict.GRANTED;
  }

  public static AcquireResult granted(Lock lock) {
    return new AcquireResult(Verdict.GRANTED, Optional.of(lock));
  }

  public static AcquireResult heldBy(Lock lock) {
    return new AcquireResult(Verdict.HELD, Optional.of(lock));
  }

  public static AcquireResult busy() {
    return new AcquireResult(Verdict.BUSY, Optional.empty());
  }
}
