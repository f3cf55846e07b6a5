package org.gossipdrive.fs.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

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
    Files.createDirectories(directory);
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty(
          "java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
    }
    Handler file =
        new FileHandler(
            directory.resolve("gossipdrive.%g.log").toString(), FILE_BYTES, FILES, true);
    file.setFormatter(new SimpleFormatter());
    file.setLevel(Level.INFO);
    Logger.getLogger("").addHandler(file);
    return directory;
  }
}
