package org.gossipdrive.net.sync;

import org.gossipdrive.engine.tree.DeviceId;

/**
 * A snapshot join under way: first the file arrives ({@code bytesReceived} of {@code bytesTotal}),
 * then its records are applied ({@code recordsApplied} of {@code recordsTotal}).
 */
public record SnapshotProgress(
    DeviceId from, long bytesReceived, long bytesTotal, long recordsApplied, long recordsTotal) {

  /** Share done, 0 to 1: receiving counts for the first half, applying for the second. */
  public double share() {
    double received = bytesTotal == 0 ? 0 : (double) bytesReceived / bytesTotal;
    double applied = recordsTotal == 0 ? 0 : (double) recordsApplied / recordsTotal;
    return Math.min(1, received / 2 + applied / 2);
  }
}
