package org.gossipdrive.engine.tree;

import java.util.function.LongSupplier;

/**
 * Hybrid logical clock (Kulkarni et al.): stays close to wall time, never goes backwards, and after
 * observing a remote stamp always issues later ones, so stamps respect causality even when device
 * clocks disagree.
 */
public final class HybridClock {
  private final LongSupplier wallMillis;
  private long last;

  public HybridClock() {
    this(System::currentTimeMillis);
  }

  public HybridClock(LongSupplier wallMillis) {
    this.wallMillis = wallMillis;
  }

  public synchronized HybridTimestamp now() {
    long physical = Math.max(wallMillis.getAsLong(), last >>> 16);
    long candidate = HybridTimestamp.of(physical, 0).value();
    last = candidate > last ? candidate : last + 1;
    return new HybridTimestamp(last);
  }

  /** Merges a stamp seen from elsewhere (a remote version, or the newest one on disk at start). */
  public synchronized void observe(HybridTimestamp seen) {
    if (Long.compareUnsigned(seen.value(), last) > 0) {
      last = seen.value();
    }
  }
}
