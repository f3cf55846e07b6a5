package org.gossipdrive.engine.tree;

import java.time.Instant;

/**
 * A hybrid logical clock reading: wall-clock milliseconds in the high 48 bits, a logical counter in
 * the low 16. Ordering readings as plain longs orders them causally.
 */
public record HybridTimestamp(long value) implements Comparable<HybridTimestamp> {
  public static final HybridTimestamp ZERO = new HybridTimestamp(0);

  public static HybridTimestamp of(long physicalMillis, int logical) {
    return new HybridTimestamp(physicalMillis << 16 | (logical & 0xffff));
  }

  public long physicalMillis() {
    return value >>> 16;
  }

  public int logical() {
    return (int) (value & 0xffff);
  }

  public Instant toInstant() {
    return Instant.ofEpochMilli(physicalMillis());
  }

  @Override
  public int compareTo(HybridTimestamp o) {
    return Long.compareUnsigned(value, o.value);
  }

  @Override
  public String toString() {
    return toInstant() + "+" + logical();
  }
}
