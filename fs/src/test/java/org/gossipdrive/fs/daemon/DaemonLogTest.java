package org.gossipdrive.fs.daemon;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class DaemonLogTest {
  /** Regression: the launcher's terse terminal format used to reach the log file too. */
  @Test
  void fileLinesCarryTimeLoggerAndStackTraceWhateverTheTerminalFormat() {
    System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%n");
    LogRecord record = new LogRecord(Level.SEVERE, "read {0} failed");
    record.setParameters(new Object[] {"/big.bin"});
    record.setLoggerName("org.gossipdrive.fs.fuse.JfuseAdapter");
    record.setThrown(new IOException("boom"));

    String line = new DaemonLog.FileLines().format(record);

    assertTrue(
        line.matches(
            "(?s)\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} SEVERE"
                + " org\\.gossipdrive\\.fs\\.fuse\\.JfuseAdapter: read /big\\.bin failed\\R"
                + "java\\.io\\.IOException: boom\\R\\s+at .*"),
        line);
  }
}
