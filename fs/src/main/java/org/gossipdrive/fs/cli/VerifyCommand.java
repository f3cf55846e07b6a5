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
    String report = daemon.post(json ? "/api/verify" : "/api/verify.txt", Duration.ofHours(6));
    System.out.print(report);
    boolean ok = json ? report.contains("\"ok\":true") : report.startsWith("OK");
    return ok ? 0 : 2;
  }
}
