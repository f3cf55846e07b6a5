package org.gossipdrive.fs.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.gossipdrive.net.sync.Replicator;

/**
 * Shows the initial sync of a device that starts behind its peers (just joined, or back after a
 * long absence): a bar with the share of records fetched, bytes received, rate and time left, on
 * one rewritten line in a terminal and a line every 5 s otherwise (a service's log). A join from a
 * snapshot shows its download, then its entries applied. Prints nothing when there is nothing to
 * fetch; ends at the first moment the device has caught up.
 */
final class SyncProgress implements Runnable {
  private final Replicator replicator;

  /** Whether this replica ever joined from a snapshot. */
  private final java.util.function.BooleanSupplier snapshotFloor;

  private final LongSupplier bytesIn;
  private final long started;
  private final PrintStream out;
  private final boolean terminal;

  /**
   * @param bytesIn bytes received from peers since the daemon started
   * @param started {@link System#nanoTime()} when the daemon started
   */
  SyncProgress(
      Replicator replicator,
      java.util.function.BooleanSupplier snapshotFloor,
      LongSupplier bytesIn,
      long started,
      PrintStream out,
      boolean terminal) {
    this.replicator = replicator;
    this.snapshotFloor = snapshotFloor;
    this.bytesIn = bytesIn;
    this.started = started;
    this.out = out;
    this.terminal = terminal;
  }

  @Override
  public void run() {
    long lastLine = 0;
    try {
      while (true) {
        Thread.sleep(250);
        long elapsedNanos = System.nanoTime() - started;
        if (!replicator.heardFromPeers()) {
          if (elapsedNanos > 120_000_000_000L) {
            return; // no peer online: nothing to show
          }
          continue;
        }
        long behind = replicator.recordsBehind();
        long fetched = replicator.recordsHeld() - replicator.recordsHeldAtStart();
        long bytes = bytesIn.getAsLong();
        double seconds = elapsedNanos / 1e9;
        var snapshot = replicator.snapshotProgress();
        if (behind == 0 && snapshot.isEmpty()) {
          if (fetched > 0) {
            out.printf(
                Locale.ROOT,
                "%sin sync: %,d records and %.1f MiB fetched in %.1f s%s%n",
                terminal ? "\r\033[K" : "",
                fetched,
                bytes / 1048576.0,
                seconds,
                snapshotFloor.getAsBoolean() ? " (joined from a snapshot, then replayed)" : "");
            out.flush();
          }
          return;
        }
        if (terminal || elapsedNanos - lastLine >= 5_000_000_000L) {
          lastLine = elapsedNanos;
          String line =
              snapshot.isPresent()
                  ? snapshotLine(snapshot.get(), bytes, seconds)
                  : line(fetched + behind, behind, bytes, seconds);
          if (terminal) {
            out.print("\r\033[K" + line);
          } else {
            out.println(line);
          }
          out.flush();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String snapshotLine(
      org.gossipdrive.net.sync.SnapshotProgress snapshot, long bytes, double seconds) {
    return snapshot.bytesReceived() < snapshot.bytesTotal() || snapshot.bytesTotal() == 0
        ? ProgressLine.of(
            "initial sync, snapshot download",
            snapshot.bytesReceived() >> 10,
            snapshot.bytesTotal() >> 10,
            "KiB",
            bytes,
            seconds)
        : ProgressLine.of(
            "initial sync, snapshot",
            snapshot.recordsApplied(),
            snapshot.recordsTotal(),
            "entries applied",
            bytes,
            seconds);
  }

  static String line(long total, long behind, long bytes, double seconds) {
    return ProgressLine.of("initial sync", total - behind, total, "records", bytes, seconds);
  }
}
