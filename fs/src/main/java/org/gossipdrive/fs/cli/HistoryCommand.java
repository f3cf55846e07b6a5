package org.gossipdrive.fs.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "history",
    description = {
      "List the versions of a file: version number, time, device, size.",
      "Bring one back with: gossipdrive restore PATH --version N"
    },
    mixinStandardHelpOptions = true)
final class HistoryCommand implements Callable<Integer> {
  @Mixin HomeOption homeOption;

  @Parameters(paramLabel = "PATH", description = "a file on the drive (under the mount point)")
  String path;

  @Option(names = "--json", description = "print JSON")
  boolean json;

  @Override
  public Integer call() {
    DaemonClient daemon = DaemonClient.of(homeOption.resolve());
    String drivePath = DriveArgument.of(path, daemon.mountPoint());
    System.out.print(
        daemon.get(
            (json ? "/api/history" : "/api/history.txt")
                + "?path="
                + URLEncoder.encode(drivePath, StandardCharsets.UTF_8)));
    return 0;
  }
}
