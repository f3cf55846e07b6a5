package org.gossipdrive.engine.lock;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.engine.tree.HybridClock;

/** Locks of a device with no peers (a drive mounted on its own): every acquire is granted here. */
public final class LocalLocks implements Locks {
  private final LockTable table;
  private final String name;
  private final HybridClock clock = new HybridClock();
  private final Clock wall;

  public LocalLocks(DeviceId self, String name, Clock wall) {
    this.table = new LockTable(self);
    this.name = name;
    this.wall = wall;
  }

  @Override
  public DeviceId self() {
    return table.self();
  }

  @Override
  public AcquireResult acquire(String path) {
    Instant now = wall.instant();
    Optional<Lock> current = table.lock(path, now);
    if (current.isPresent()) {
      return AcquireResult.granted(current.get());
    }
    LockClaim claim = new LockClaim(self(), clock.now());
    table.begin(path, claim, now);
    Lock lock = new Lock(path, self(), name, claim.stamp(), now, Instant.MAX);
    table.finish(path, claim, Optional.of(lock));
    return AcquireResult.granted(lock);
  }

  @Override
  public void release(String path) {
    table.released(path, self());
  }

  @Override
  public Optional<Lock> lock(String path) {
    return table.lock(path, wall.instant());
  }

  @Override
  public List<Lock> all() {
    return table.all(wall.instant());
  }
}
