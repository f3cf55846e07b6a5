package org.gossipdrive.net.membership;

import java.time.Instant;
import org.gossipdrive.engine.tree.DeviceId;

/**
 * One peer as the status API shows it.
 *
 * @param lastSeen when any frame last arrived from it, or null
 * @param bytesIn application bytes received over its open connections
 * @param bytesOut application bytes sent over its open connections
 */
public record MemberStatus(
    DeviceId id, String name, MemberState state, Instant lastSeen, long bytesIn, long bytesOut) {}
