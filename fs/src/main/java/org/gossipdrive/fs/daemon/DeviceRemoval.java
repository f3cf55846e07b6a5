package org.gossipdrive.fs.daemon;

import java.util.List;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.identity.DeviceIds;
import org.gossipdrive.net.trust.Removal;
import org.gossipdrive.net.trust.TrustException;
import org.gossipdrive.net.trust.TrustStore;
import org.gossipdrive.net.trust.TrustedSet;

/**
 * {@code gossipdrive remove DEVICE} (ADR 39): finds the device meant, by id or by its unique name,
 * and publishes its signed removal. The removal names the device's highest record this replica
 * holds, so its history up to there stays valid on every device and nothing it writes later is.
 */
final class DeviceRemoval {
  private final TrustStore trust;
  private final DeviceIdentity self;
  private final Replica replica;

  DeviceRemoval(TrustStore trust, DeviceIdentity self, Replica replica) {
    this.trust = trust;
    this.self = self;
    this.replica = replica;
  }

  /**
   * Removes the device {@code argument} names.
   *
   * @throws IllegalArgumentException when no device, or more than one, is meant; nothing changes
   * @throws TrustException when this device may not remove it (already removed, or this device was
   *     removed itself); nothing changes
   */
  Removal remove(String argument) {
    TrustedSet set =
        trust.current().orElseThrow(() -> new TrustException("this device belongs to no drive"));
    DeviceId device = resolve(set, argument.strip());
    long lastSequence = replica.digest().getOrDefault(device, 0L);
    return trust.remove(self, device, lastSequence).removal(device).orElseThrow();
  }

  /** The device {@code argument} names: its id, or the name of exactly one current member. */
  static DeviceId resolve(TrustedSet set, String argument) {
    if (argument.isEmpty()) {
      throw new IllegalArgumentException("name the device to remove: its name or id");
    }
    try {
      DeviceId id = DeviceIds.parse(argument);
      if (set.member(id).isPresent()) {
        return id;
      }
      throw new IllegalArgumentException(
          "no device " + id + " in this drive (gossipdrive peers lists them)");
    } catch (org.gossipdrive.net.identity.InvalidDeviceIdException notAnId) {
      // then it is a name
    }
    List<TrustedSet.Member> named =
        set.members().stream().filter(m -> m.name().equals(argument)).toList();
    if (named.isEmpty()
        && set.removals().stream()
            .anyMatch(r -> set.member(r.device()).orElseThrow().name().equals(argument))) {
      throw new IllegalArgumentException(TerminalText.escape(argument) + " was already removed");
    }
    if (named.isEmpty()) {
      throw new IllegalArgumentException(
          "no device named "
              + TerminalText.escape(argument)
              + " in this drive (gossipdrive peers lists them)");
    }
    if (named.size() > 1) {
      throw new IllegalArgumentException(
          named.size()
              + " devices are named "
              + TerminalText.escape(argument)
              + "; give the id of the one to remove: "
              + String.join(", ", named.stream().map(m -> m.id().value()).toList()));
    }
    return named.getFirst().id();
  }
}
