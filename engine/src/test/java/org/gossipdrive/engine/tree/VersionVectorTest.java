package org.gossipdrive.engine.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class VersionVectorTest {
  private static final DeviceId A = new DeviceId("A");
  private static final DeviceId B = new DeviceId("B");

  @Test
  void ordersDescendantsAndDetectsConcurrency() {
    VersionVector base = VersionVector.EMPTY.increment(A);
    VersionVector fromA = base.increment(A);
    VersionVector fromB = base.increment(B);
    assertEquals(VersionVector.Order.BEFORE, base.compare(fromA));
    assertEquals(VersionVector.Order.AFTER, fromA.compare(base));
    assertEquals(VersionVector.Order.CONCURRENT, fromA.compare(fromB));
    assertEquals(VersionVector.Order.EQUAL, fromA.compare(base.increment(A)));
    assertEquals(VersionVector.Order.AFTER, fromA.merge(fromB).compare(fromB));
  }

  @Test
  void hybridClockNeverGoesBackwardsAndFollowsRemoteStamps() {
    AtomicLong wall = new AtomicLong(1000);
    HybridClock clock = new HybridClock(wall::get);
    HybridTimestamp first = clock.now();
    wall.set(500); // the wall clock jumps back
    HybridTimestamp second = clock.now();
    assertTrue(second.compareTo(first) > 0);
    HybridTimestamp remote = HybridTimestamp.of(5000, 7);
    clock.observe(remote);
    assertTrue(clock.now().compareTo(remote) > 0);
  }
}
