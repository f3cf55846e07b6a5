package org.gossipdrive.fs.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "restore",
    description = {
      "Make an earlier version of a file its content again, as a new version that every device",
      "receives (nothing in between is lost: history keeps it). Versions: gossipdrive history PATH"
    },
    mixinStandardHelpOptions = true)
final class RestoreCommand implements Callable<Integer> {
  @Mixin HomeOption homeOption;

  @Parameters(paramLabel = "PATH", description = "a file on the drive (under the mount point)")
  String path;

  @Option(
      names = "--version",
      required = true,
      paramLabel = "N",
      description = "the version number shown by history")
  long version;

  @Override
  public Integer call() {
    DaemonClient daemon = DaemonClient.of(homeOption.resolve());
    String drivePath = DriveArgument.of(path, daemon.mountPoint());
    System.out.print(
        daemon.post(
            "/api/restore?path="
                + URLEncoder.encode(drivePath, StandardCharsets.UTF_8)
                + "&version="
                + version,
            Duration.ofSeconds(60)));
    return 0;
  }
}
