package org.gossipdrive.engine.lock;

import java.util.List;
import java.util.Optional;
import org.gossipdrive.engine.tree.DeviceId;

/** What the drive needs of a lock authority, local or networked. */
public interface Locks {
  DeviceId self();

  /**
   * Takes the lock on {@code path} for this device, asking every reachable peer; returns at once
   * when this device already holds it.
   */
  AcquireResult acquire(String path) throws InterruptedException;

  /** Lets go of this device's lock on {@code path}, if held. */
  void release(String path);

  /** The live lock on {@code path}, by any device. */
  Optional<Lock> lock(String path);

  /** Every live lock known here, by path. */
  List<Lock> all();

  /** Whether another device holds {@code path} now. */
  default boolean heldElsewhere(String path) {
    return lock(path).filter(l -> !l.holder().equals(self())).isPresent();
  }
}
