package org.gossipdrive.fs.drive;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.gossipdrive.engine.tree.FileId;

/**
 * Keeps this device's changes from peers while an app's save is half done: from the creation of a
 * save's temporary file (Blender's {@code X@}, LibreOffice's {@code lu*.tmp}) until it is renamed
 * into place or removed, changes are held, then sent as one atomic batch. A temporary file left
 * alone for the settle time (a crashed app) stops holding.
 */
final class SaveSettler implements AutoCloseable {
  private final PushHold hold;
  private final Duration settle;

  /**
   * The longest one hold may last while new files keep starting before the last ones end (a
   * parallel build); past it, what is held is sent and holding starts over. Null: no limit (a save
   * must stay one change).
   */
  private final Duration longestHold;

  private long heldSince;
  private final Map<FileId, Long> inProgress = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;

  SaveSettler(PushHold hold, Duration settle) {
    this(hold, settle, null);
  }

  SaveSettler(PushHold hold, Duration settle, Duration longestHold) {
    this.hold = hold;
    this.settle = settle;
    this.longestHold = longestHold;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon(true).name("gossipdrive-save-settler").factory());
    timer.scheduleWithFixedDelay(this::expire, 200, 200, TimeUnit.MILLISECONDS);
  }

  /** A save's temporary file appeared. */
  synchronized void started(FileId file) {
    if (inProgress.isEmpty()) {
      hold.hold();
      heldSince = System.nanoTime();
    }
    inProgress.put(file, System.nanoTime());
  }

  /** The temporary file is being written: its save is still in progress. */
  void touched(FileId file) {
    if (!inProgress.isEmpty()) {
      inProgress.computeIfPresent(file, (k, v) -> System.nanoTime());
    }
  }

  /** The temporary file was renamed into place or removed. */
  synchronized void ended(FileId file) {
    if (inProgress.remove(file) != null && inProgress.isEmpty()) {
      hold.release();
    }
  }

  private synchronized void expire() {
    long now = System.nanoTime();
    long limit = now - settle.toNanos();
    if (inProgress.values().removeIf(touched -> touched < limit) && inProgress.isEmpty()) {
      hold.release();
    } else if (!inProgress.isEmpty()
        && longestHold != null
        && now - heldSince > longestHold.toNanos()) {
      hold.release();
      hold.hold();
      heldSince = now;
    }
  }

  @Override
  public synchronized void close() {
    timer.shutdownNow();
    if (!inProgress.isEmpty()) {
      inProgress.clear();
      hold.release();
    }
  }
}
