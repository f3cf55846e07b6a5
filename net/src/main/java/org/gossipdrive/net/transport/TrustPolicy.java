package org.gossipdrive.net.transport;

import org.gossipdrive.engine.tree.DeviceId;

/** Which devices may connect. Consulted during the TLS handshake, before any message is read. */
public interface TrustPolicy {
  boolean isTrusted(DeviceId device);

  /**
   * Whether unknown devices may finish a handshake to present an invitation. Only while this device
   * has an open invitation; such connections may send nothing but a join request.
   */
  boolean admitsJoiners();

  /**
   * Whether {@code device} was removed from the drive (ADR 39): it may not connect, not even as a
   * joiner, and connections to it are refused even when dialled by id.
   */
  default boolean isRemoved(DeviceId device) {
    return false;
  }

  /** Trusts the devices {@code trusted} accepts, and admits no joiners. */
  static TrustPolicy of(java.util.function.Predicate<DeviceId> trusted) {
    return new TrustPolicy() {
      @Override
      public boolean isTrusted(DeviceId device) {
        return trusted.test(device);
      }

      @Override
      public boolean admitsJoiners() {
        return false;
      }
    };
  }
}
