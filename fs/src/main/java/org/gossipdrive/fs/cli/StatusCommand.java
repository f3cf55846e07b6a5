package org.gossipdrive.fs.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "status",
    description = "Show the running drive: device, mount, peers and their state.",
    mixinStandardHelpOptions = true)
final class StatusCommand implements Callable<Integer> {
  @Mixin HomeOption homeOption;

  @Option(names = "--json", description = "print JSON")
  boolean json;

  @Override
  public Integer call() {
    DaemonClient daemon = DaemonClient.of(homeOption.resolve());
    System.out.print(daemon.get(json ? "/api/status" : "/api/status.txt"));
    if (!json) {
      System.out.println("status page: " + daemon.pageUrl());
    }
    return 0;
  }
}
