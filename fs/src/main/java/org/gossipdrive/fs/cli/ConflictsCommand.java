package org.gossipdrive.fs.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "conflicts",
    description = {
      "List the conflict copies on the drive: files named \"name (conflict DEVICE DATE).ext\"",
      "that concurrent edits left beside the original, waiting for a look."
    },
    mixinStandardHelpOptions = true)
final class ConflictsCommand implements Callable<Integer> {
  @Mixin HomeOption homeOption;

  @Option(names = "--json", description = "print JSON")
  boolean json;

  @Override
  public Integer call() {
    DaemonClient daemon = DaemonClient.of(homeOption.resolve());
    System.out.print(daemon.get(json ? "/api/conflicts" : "/api/conflicts.txt"));
    return 0;
  }
}
