package org.gossipdrive.net.trust;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.net.transport.Transport;

/**
 * Acts on removals as they reach this device (ADR 39): the removed device's open connections are
 * closed, and the device's other parts drop it ({@code onRemoved}: stop dialling it, drop its
 * locks). New handshakes are refused by the transport itself, which asks the trust store.
 */
public final class RemovalEnforcement {
  private static final System.Logger LOG = System.getLogger(RemovalEnforcement.class.getName());

  /**
   * How long a removed device's connections stay open after the removal is known: long enough for
   * the set that carries the removal to reach it (trusted-set gossip sends it on the same change),
   * so it learns why it is cut off. Everything it sends meanwhile is refused already.
   */
  static final Duration GRACE = Duration.ofMillis(500);

  private final TrustStore trust;
  private final DeviceId self;
  private final Transport transport;
  private final Consumer<DeviceId> onRemoved;
  private final Set<DeviceId> handled = ConcurrentHashMap.newKeySet();

  public RemovalEnforcement(
      TrustStore trust, DeviceId self, Transport transport, Consumer<DeviceId> onRemoved) {
    this.trust = trust;
    this.self = self;
    this.transport = transport;
    this.onRemoved = onRemoved;
    trust.onChange(this::enforce);
    enforce();
  }

  private void enforce() {
    TrustedSet set = trust.current().orElse(null);
    if (set == null) {
      return;
    }
    for (Removal removal : set.removals()) {
      if (!handled.add(removal.device())) {
        continue;
      }
      if (removal.device().equals(self)) {
        LOG.log(
            Level.WARNING,
            "this device was removed from drive {0} by {1}: it keeps its copy, but no peer accepts"
                + " its connections or its new changes any more",
            set.driveId(),
            removal.removedBy());
        continue;
      }
      onRemoved.accept(removal.device());
      Thread.ofVirtual()
          .name("gossipdrive-removal-" + removal.device())
          .start(() -> disconnectAfterGrace(removal));
    }
  }

  private void disconnectAfterGrace(Removal removal) {
    try {
      Thread.sleep(GRACE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int closed =
        transport.disconnect(removal.device(), "removed from the drive by " + removal.removedBy());
    LOG.log(
        Level.INFO,
        "{0} was removed from the drive by {1} (its records after #{2} are refused); closed {3}"
            + " connections",
        removal.device(),
        removal.removedBy(),
        removal.lastSequence(),
        closed);
  }
}
