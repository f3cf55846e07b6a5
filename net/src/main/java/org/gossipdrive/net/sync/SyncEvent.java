package org.gossipdrive.net.sync;

import java.time.Duration;
import java.time.Instant;
import org.gossipdrive.engine.tree.DeviceId;

/**
 * One exchange with a peer, for the status page's sync history.
 *
 * @param received records that arrived in the exchange
 * @param applied records that changed something here (new, newer, or resolved a conflict)
 * @param conflicts records that were concurrent with the local state
 * @param sent records this device sent in the exchange
 * @param error what went wrong, or empty
 */
public record SyncEvent(
    DeviceId peer,
    Instant started,
    Duration duration,
    int received,
    int applied,
    int conflicts,
    int sent,
    String error) {}
