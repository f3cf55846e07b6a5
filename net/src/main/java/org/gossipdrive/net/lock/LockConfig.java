package org.gossipdrive.net.lock;

import java.time.Duration;

/**
 * Timings of the lock protocol.
 *
 * @param lease how long peers keep a lock without hearing from its holder (renewed every third of
 *     it): the bound on how long a crashed device's locks survive it
 * @param replyTimeout how long an acquire waits for each peer; a peer silent for longer is treated
 *     as unreachable and does not block the acquire
 * @param acquireTimeout how long an acquire keeps retrying while older claims are in progress
 */
public record LockConfig(Duration lease, Duration replyTimeout, Duration acquireTimeout) {
  public LockConfig {
    if (lease.toMillis() < 300) {
      throw new IllegalArgumentException("the lock lease must be at least 300 ms");
    }
  }

  public static LockConfig defaults() {
    return new LockConfig(Duration.ofSeconds(30), Duration.ofMillis(500), Duration.ofSeconds(3));
  }

  public LockConfig withLease(Duration newLease) {
    return new LockConfig(newLease, replyTimeout, acquireTimeout);
  }
}
