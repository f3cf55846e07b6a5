package org.gossipdrive.engine.lock;

import java.util.Optional;

/** A verdict, with the lock that stands in the way when there is one. */
public record Decision(Verdict verdict, Optional<Lock> holder) {
  static final Decision GRANTED = new Decision(Verdict.GRANTED, Optional.empty());
  static final Decision BUSY = new Decision(Verdict.BUSY, Optional.empty());

  static Decision held(Lock lock) {
    return new Decision(Verdict.HELD, Optional.of(lock));
  }
}
