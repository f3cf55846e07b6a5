package org.gossipdrive.engine.lock;

import java.util.Comparator;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.engine.tree.HybridTimestamp;

/**
 * One device's request for a lock. Claims are ordered the same way on every device: the earlier
 * hybrid-clock stamp first, then the smaller device id, so exactly one of competing claims is the
 * oldest everywhere.
 */
public record LockClaim(DeviceId device, HybridTimestamp stamp) implements Comparable<LockClaim> {
  private static final Comparator<LockClaim> ORDER =
      Comparator.comparing(LockClaim::stamp).thenComparing(LockClaim::device);

  @Override
  public int compareTo(LockClaim other) {
    return ORDER.compare(this, other);
  }
}
