package org.gossipdrive.engine.lock;

import java.time.Instant;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.engine.tree.HybridTimestamp;

/**
 * A held lock on one document path.
 *
 * @param stamp when the holder asked for it (orders competing claims)
 * @param expires when the lease runs out unless renewed; {@link Instant#MAX} for this device's own
 *     locks, which live as long as their owners
 */
public record Lock(
    String path,
    DeviceId holder,
    String holderName,
    HybridTimestamp stamp,
    Instant since,
    Instant expires) {

  public LockClaim claim() {
    return new LockClaim(holder, stamp);
  }

  public boolean expiredAt(Instant now) {
    return expires.isBefore(now);
  }
}
