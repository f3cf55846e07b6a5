package org.gossipdrive.fs.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "peers",
    description =
        "List the devices: online/suspect/offline, last seen, last sync, traffic; and removed ones.",
    mixinStandardHelpOptions = true)
final class PeersCommand implements Callable<Integer> {
  @Mixin HomeOption homeOption;

  @Option(names = "--json", description = "print JSON")
  boolean json;

  @Override
  public Integer call() {
    DaemonClient daemon = DaemonClient.of(homeOption.resolve());
    System.out.print(daemon.get(json ? "/api/peers" : "/api/peers.txt"));
    return 0;
  }
}
