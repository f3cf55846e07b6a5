package org.gossipdrive.fs.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "rename",
    description = {
      "Give this device a new name. Every peer shows it once the drive's trusted set reaches it;",
      "the latest rename wins."
    },
    mixinStandardHelpOptions = true)
final class RenameCommand implements Callable<Integer> {
  @Mixin HomeOption homeOption;

  @Parameters(paramLabel = "NAME", description = "1 to 64 printable characters")
  String name;

  @Override
  public Integer call() {
    DaemonClient daemon = DaemonClient.of(homeOption.resolve());
    System.out.print(
        daemon.post(
            "/api/rename?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8),
            Duration.ofSeconds(15)));
    return 0;
  }
}
