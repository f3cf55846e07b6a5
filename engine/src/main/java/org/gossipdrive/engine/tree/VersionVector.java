package org.gossipdrive.engine.tree;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-device edit counters of a file. Comparing two vectors tells whether one version descends from
 * the other or whether they were made concurrently (a conflict).
 */
public final class VersionVector {
  public static final VersionVector EMPTY = new VersionVector(new TreeMap<>());
  public static final int MAX_DEVICES = 1024;

  /** How two versions relate. */
  public enum Order {
    EQUAL,
    BEFORE,
    AFTER,
    CONCURRENT
  }

  private final TreeMap<DeviceId, Long> counters;

  private VersionVector(TreeMap<DeviceId, Long> counters) {
    this.counters = counters;
  }

  public static VersionVector of(Map<DeviceId, Long> counters) {
    TreeMap<DeviceId, Long> copy = new TreeMap<>();
    counters.forEach(
        (device, counter) -> {
          if (counter < 0) {
            throw new IllegalArgumentException("negative counter for " + device);
          }
          if (counter > 0) {
            copy.put(device, counter);
          }
        });
    if (copy.size() > MAX_DEVICES) {
      throw new IllegalArgumentException("more than " + MAX_DEVICES + " devices in a vector");
    }
    return new VersionVector(copy);
  }

  public long get(DeviceId device) {
    return counters.getOrDefault(device, 0L);
  }

  /** This vector with {@code device}'s counter advanced by one. */
  public VersionVector increment(DeviceId device) {
    TreeMap<DeviceId, Long> copy = new TreeMap<>(counters);
    copy.merge(device, 1L, Long::sum);
    return new VersionVector(copy);
  }

  /** The element-wise maximum: a version that has seen both. */
  public VersionVector merge(VersionVector other) {
    TreeMap<DeviceId, Long> copy = new TreeMap<>(counters);
    other.counters.forEach((device, counter) -> copy.merge(device, counter, Math::max));
    return new VersionVector(copy);
  }

  public Order compare(VersionVector other) {
    boolean less = false;
    boolean greater = false;
    TreeMap<DeviceId, Long> all = new TreeMap<>(counters);
    other.counters.forEach(all::putIfAbsent);
    for (DeviceId device : all.keySet()) {
      long mine = get(device);
      long theirs = other.get(device);
      less |= mine < theirs;
      greater |= mine > theirs;
    }
    if (less && greater) {
      return Order.CONCURRENT;
    }
    return less ? Order.BEFORE : greater ? Order.AFTER : Order.EQUAL;
  }

  public Map<DeviceId, Long> counters() {
    return Collections.unmodifiableMap(counters);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VersionVector other && counters.equals(other.counters);
  }

  @Override
  public int hashCode() {
    return counters.hashCode();
  }

  @Override
  public String toString() {
    return counters.toString();
  }
}
