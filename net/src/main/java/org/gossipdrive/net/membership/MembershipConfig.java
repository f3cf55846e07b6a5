package org.gossipdrive.net.membership;

import java.time.Duration;

/**
 * Failure-detection timing. Defaults follow the seed gossip library: probe every second, a ping
 * times out after 500 ms, three failed probes make a peer suspect.
 *
 * @param indirectProbes how many other peers are asked to probe a silent one
 * @param deadAfter how long a peer stays suspect before it is declared dead
 */
public record MembershipConfig(
    Duration probeInterval,
    Duration pingTimeout,
    int suspectAfterFailedProbes,
    Duration deadAfter,
    int indirectProbes) {
  public static MembershipConfig defaults() {
    return new MembershipConfig(
        Duration.ofSeconds(1), Duration.ofMillis(500), 3, Duration.ofSeconds(5), 2);
  }
}
