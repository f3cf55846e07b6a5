package org.gossipdrive.fs.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "locks",
    description = {
      "List every lock on the drive: path, holder, since when, lease expiry;",
      "and saves that were kept as conflict copies because their base was outdated."
    },
    mixinStandardHelpOptions = true)
final class LocksCommand implements Callable<Integer> {
  @Mixin HomeOption homeOption;

  @Option(names = "--json", description = "print JSON")
  boolean json;

  @Override
  public Integer call() {
    DaemonClient daemon = DaemonClient.of(homeOption.resolve());
    System.out.print(daemon.get(json ? "/api/locks" : "/api/locks.txt"));
    return 0;
  }
}
