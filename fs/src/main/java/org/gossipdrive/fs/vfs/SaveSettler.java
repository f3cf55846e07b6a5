package org.gossipdrive.fs.vfs;

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
 * alone for the settle time (a failed save, a crashed app) is handed to the {@link Leftovers}
 * policy while changes are still held, then stops holding.
 */
final class SaveSettler implements AutoCloseable {
  /** What becomes of a file left alone for the settle time, decided before peers see it. */
  @FunctionalInterface
  interface Leftovers {
    Leftovers NONE = (file, waited) -> true;

    /**
     * Settles a file left alone; returns false to wait another settle time (an app still holds it
     * open).
     *
     * @param waited how long since the file started
     */
    boolean settle(FileId file, Duration waited);
  }

  private final PushHold hold;
  private final Duration settle;
  private final Leftovers leftovers;

  /**
   * The longest one hold may last while new files keep starting before the last ones end (a
   * parallel build); past it, what is held is sent and holding starts over. Null: no limit (a save
   * must stay one change).
   */
  private final Duration longestHold;

  private long heldSince;

  /** Files in progress, with when each was last touched. */
  private final Map<FileId, Long> inProgress = new ConcurrentHashMap<>();

  private final Map<FileId, Long> startedAt = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;

  SaveSettler(PushHold hold, Duration settle, Leftovers leftovers) {
    this(hold, settle, null, leftovers);
  }

  SaveSettler(PushHold hold, Duration settle, Duration longestHold) {
    this(hold, settle, longestHold, Leftovers.NONE);
  }

  private SaveSettler(PushHold hold, Duration settle, Duration longestHold, Leftovers leftovers) {
    this.hold = hold;
    this.settle = settle;
    this.longestHold = longestHold;
    this.leftovers = leftovers;
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
    long now = System.nanoTime();
    inProgress.put(file, now);
    startedAt.putIfAbsent(file, now);
  }

  /** Whether {@code file} is a save's temporary in progress (never blocks: commit thread). */
  boolean inProgress(FileId file) {
    return inProgress.containsKey(file);
  }

  /** The temporary file is being written: its save is still in progress. */
  void touched(FileId file) {
    if (!inProgress.isEmpty()) {
      inProgress.computeIfPresent(file, (k, v) -> System.nanoTime());
    }
  }

  /** The temporary file was renamed into place or removed. */
  synchronized void ended(FileId file) {
    startedAt.remove(file);
    if (inProgress.remove(file) != null && inProgress.isEmpty()) {
      hold.release();
    }
  }

  private synchronized void expire() {
    long now = System.nanoTime();
    long limit = now - settle.toNanos();
    boolean settled = false;
    for (var entry : Map.copyOf(inProgress).entrySet()) {
      if (entry.getValue() >= limit) {
        continue;
      }
      FileId file = entry.getKey();
      long started = startedAt.getOrDefault(file, entry.getValue());
      boolean done;
      try {
        done = leftovers.settle(file, Duration.ofNanos(now - started));
      } catch (RuntimeException e) {
        System.getLogger(SaveSettler.class.getName())
            .log(System.Logger.Level.ERROR, "could not settle the leftover file " + file, e);
        done = true;
      }
      if (done) {
        inProgress.remove(file);
        startedAt.remove(file);
        settled = true;
      } else {
        inProgress.put(file, now);
      }
    }
    if (settled && inProgress.isEmpty()) {
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
    startedAt.clear();
    if (!inProgress.isEmpty()) {
      inProgress.clear();
      hold.release();
    }
  }
}
