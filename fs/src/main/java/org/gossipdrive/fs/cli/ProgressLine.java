package org.gossipdrive.fs.cli;

import java.util.Locale;

/**
 * One line of progress for long work (the initial sync, verify): share done, a bar, counts, volume,
 * rate and time left, e.g. {@code verify 50% [############............] 1,000 of 2,000 chunks,
 * 1000.0 MiB, 100.0 MiB/s, 10 s left}.
 */
final class ProgressLine {
  private static final int WIDTH = 24;

  private ProgressLine() {}

  /**
   * @param label what is in progress
   * @param done items done so far, of {@code total} (a total of 0 counts as finished)
   * @param unit what the items are, plural
   * @param bytes bytes handled so far
   * @param seconds time since the work started
   */
  static String of(String label, long done, long total, String unit, long bytes, double seconds) {
    double share = total == 0 ? 1 : Math.min(1, (double) done / total);
    int filled = (int) Math.round(share * WIDTH);
    double rate = seconds > 0 ? done / seconds : 0;
    return String.format(
        Locale.ROOT,
        "%s %3d%% [%s%s] %,d of %,d %s, %.1f MiB, %.1f MiB/s, %s left",
        label,
        (int) Math.floor(share * 100),
        "#".repeat(filled),
        ".".repeat(WIDTH - filled),
        done,
        total,
        unit,
        bytes / 1048576.0,
        seconds > 0 ? bytes / 1048576.0 / seconds : 0,
        rate > 0 ? duration((total - done) / rate) : "?");
  }

  private static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
        : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + " s";
  }
}
