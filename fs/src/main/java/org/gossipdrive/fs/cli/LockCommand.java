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
    name = "lock",
    description = {
      "Take the lock on a file for this device until `gossipdrive unlock`, checkout-style:",
      "the file is read-only on every other device meanwhile."
    },
    mixinStandardHelpOptions = true)
final class LockCommand implements Callable<Integer> {
  @Mixin HomeOption homeOption;

  @Parameters(paramLabel = "PATH", description = "a file on the drive (under the mount point)")
  String path;

  @Option(names = "--json", description = "print the lock as JSON")
  boolean json;

  @Override
  public Integer call() {
    DaemonClient daemon = DaemonClient.of(homeOption.resolve());
    String drivePath = DriveArgument.of(path, daemon.mountPoint());
    String answer =
        daemon.post(
            "/api/lock?path=" + URLEncoder.encode(drivePath, StandardCharsets.UTF_8),
            Duration.ofSeconds(15));
    System.out.print(
        json
            ? answer
            : "locked " + org.gossipdrive.fs.daemon.TerminalText.escape(drivePath) + "\n");
    return 0;
  }
}
