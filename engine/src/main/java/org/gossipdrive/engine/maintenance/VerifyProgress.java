package org.gossipdrive.engine.maintenance;

/**
 * How far a verify is, written by the verifying thread and read by others (the CLI's progress bar).
 * Checking chunks is most of the work, so that phase has a total; the index checks before it do
 * not.
 */
public final class VerifyProgress {
  /** A consistent enough view for display. */
  public record Snapshot(boolean running, String phase, long done, long total, long bytes) {}

  private volatile boolean running;
  private volatile String phase = "idle";
  private volatile long done;
  private volatile long total;
  private volatile long bytes;

  void start() {
    done = 0;
    total = 0;
    bytes = 0;
    phase = "index";
    running = true;
  }

  void phase(String name, long expected) {
    done = 0;
    total = expected;
    phase = name;
  }

  void advance(long chunkBytes) {
    done++;
    bytes += chunkBytes;
  }

  void finish() {
    phase = "done";
    running = false;
  }

  public Snapshot snapshot() {
    return new Snapshot(running, phase, done, total, bytes);
  }
}
