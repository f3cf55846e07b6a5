package org.gossipdrive.fs.vfs;

import java.time.Clock;
import java.time.Duration;
import org.gossipdrive.engine.lock.Companions;
import org.gossipdrive.engine.lock.LocalLocks;
import org.gossipdrive.engine.lock.Locks;
import org.gossipdrive.engine.tree.DeviceId;

/**
 * What the drive needs beyond its replica: the lock authority, the companion names apps use, the
 * hold on outgoing changes during a save, and this device's name (for conflict copies).
 *
 * @param idleRelease how long a lock whose owning process cannot be tracked lives after its last
 *     use
 */
public record DriveServices(
    Locks locks,
    Companions companions,
    PushHold pushHold,
    String deviceName,
    Duration idleRelease) {

  /** A drive with no peers: locks are granted locally, nothing is pushed. */
  public static DriveServices standalone(DeviceId device, String deviceName) {
    return new DriveServices(
        new LocalLocks(device, deviceName, Clock.systemUTC()),
        Companions.defaults(),
        PushHold.NONE,
        deviceName,
        Duration.ofMinutes(10));
  }
}
