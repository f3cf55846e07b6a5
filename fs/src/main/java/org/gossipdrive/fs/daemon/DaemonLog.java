package org.gossipdrive.fs.daemon;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.logging.FileHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.gossipdrive.engine.store.OwnerOnly;

/**
 * The daemon's log files: {@code <home>/logs/gossipdrive.0.log}, rotated at 10 MiB, five kept, one
 * line per event; what the terminal or the journal shows stays as it was.
 */
public final class DaemonLog {
  static final int FILE_BYTES = 10 << 20;
  static final int FILES = 5;

  private DaemonLog() {}

  /** Starts writing the log of {@code home}; returns the directory the files are in. */
  public static Path start(Path home) throws IOException {
    Path directory = home.resolve("logs");
    OwnerOnly.createDirectories(directory);
    Handler file =
        new FileHandler(
            directory.resolve("gossipdrive.%g.log").toString(), FILE_BYTES, FILES, true);
    file.setFormatter(new FileLines());
    file.setLevel(Level.INFO);
    Logger.getLogger("").addHandler(file);
    return directory;
  }

  /**
   * Timestamped lines with the logger's name and any stack trace, whatever format the launcher gave
   * the terminal (it keeps the terminal terse: level and message).
   */
  static final class FileLines extends Formatter {
    @Override
    public String format(LogRecord record) {
      String trace = "";
      if (record.getThrown() != null) {
        StringWriter out = new StringWriter();
        try (PrintWriter writer = new PrintWriter(out)) {
          writer.println();
          record.getThrown().printStackTrace(writer);
        }
        trace = out.toString().stripTrailing();
      }
      return String.format(
          "%1$tF %1$tT.%1$tL %2$s %3$s: %4$s%5$s%n",
          ZonedDateTime.ofInstant(record.getInstant(), ZoneId.systemDefault()),
          record.getLevel().getLocalizedName(),
          record.getLoggerName(),
          formatMessage(record),
          trace);
    }
  }
}
