package org.gossipdrive.fs.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "remove",
    description = {
      "Remove a device from the drive (a lost or stolen laptop, a device given away). Every peer",
      "closes its connections and refuses it from then on, and refuses what it writes after the",
      "removal; what it wrote before stays in history. It keeps the files it already has.",
      "A device may remove itself (leave). A removed device cannot join again."
    },
    mixinStandardHelpOptions = true)
final class RemoveCommand implements Callable<Integer> {
  @Mixin HomeOption homeOption;

  @Parameters(paramLabel = "DEVICE", description = "the device's name (as in peers) or its id")
  String device;

  @Override
  public Integer call() {
    DaemonClient daemon = DaemonClient.of(homeOption.resolve());
    System.out.print(
        daemon.post(
            "/api/remove?device=" + URLEncoder.encode(device, StandardCharsets.UTF_8),
            Duration.ofSeconds(15)));
    return 0;
  }
}
