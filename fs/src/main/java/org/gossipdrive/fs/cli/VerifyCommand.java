package org.gossipdrive.fs.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "verify",
    description = {
      "Check the whole store: every chunk's hash, every version, the ledger chain.",
      "Exits 0 when nothing is damaged, 2 otherwise."
    },
    mixinStandardHelpOptions = true)
final class VerifyCommand implements Callable<Integer> {
  @Mixin HomeOption homeOption;

  @Option(names = "--json", description = "print JSON")
  boolean json;

  @Override
  public Integer call() {
    DaemonClient daemon = DaemonClient.of(homeOption.resolve());
    // The bar goes to the terminal only (standard error), so the report stays parseable.
    Thread bar =
        System.console() != null
            ? Thread.ofPlatform().daemon(true).start(() -> showProgress(daemon))
            : null;
    String report;
    try {
      report = daemon.post(json ? "/api/verify" : "/api/verify.txt", Duration.ofHours(6));
    } finally {
      if (bar != null) {
        bar.interrupt();
        System.err.print("\r\033[K");
      }
    }
    System.out.print(report);
    boolean ok = json ? report.contains("\"ok\":true") : report.startsWith("OK");
    return ok ? 0 : 2;
  }

  private static final java.util.regex.Pattern FIELD =
      java.util.regex.Pattern.compile("\"(\\w+)\":\"?([\\w.]+)");

  private static void showProgress(DaemonClient daemon) {
    long started = System.nanoTime();
    try {
      while (true) {
        Thread.sleep(500);
        java.util.Map<String, String> p = new java.util.HashMap<>();
        var m = FIELD.matcher(daemon.get("/api/verify/progress"));
        while (m.find()) {
          p.put(m.group(1), m.group(2));
        }
        if (!"true".equals(p.get("running"))) {
          continue;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.err.print(
            "\r\033[K"
                + progressLine(
                    p.get("phase"),
                    Long.parseLong(p.getOrDefault("done", "0")),
                    Long.parseLong(p.getOrDefault("total", "0")),
                    Long.parseLong(p.getOrDefault("bytes", "0")),
                    seconds));
        System.err.flush();
      }
    } catch (InterruptedException | CliException | NumberFormatException e) {
      // verify finished, or the daemon stopped answering: the report (or its error) follows
    }
  }

  /** One line: the phase, then for chunks a bar, counts, volume, rate and time left. */
  static String progressLine(String phase, long done, long total, long bytes, double seconds) {
    if (!"chunks".equals(phase) || total == 0) {
      return String.format(java.util.Locale.ROOT, "verify: checking the %s...", phase);
    }
    return ProgressLine.of("verify", done, total, "chunks", bytes, seconds);
  }
}
