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
    name = "unlock",
    description = {
      "Release this device's lock on a file, whoever took it here.",
      "With --break, break the lock an unreachable device holds: its later save of the file",
      "becomes a conflict copy, never an overwrite."
    },
    mixinStandardHelpOptions = true)
final class UnlockCommand implements Callable<Integer> {
  @Mixin HomeOption homeOption;

  @Parameters(paramLabel = "PATH", description = "a file on the drive (under the mount point)")
  String path;

  @Option(names = "--break", description = "break a lock held by an unreachable device")
  boolean breakLock;

  @Override
  public Integer call() {
    DaemonClient daemon = DaemonClient.of(homeOption.resolve());
    String drivePath = DriveArgument.of(path, daemon.mountPoint());
    System.out.print(
        daemon.post(
            "/api/unlock?path="
                + URLEncoder.encode(drivePath, StandardCharsets.UTF_8)
                + (breakLock ? "&break=true" : ""),
            Duration.ofSeconds(15)));
    return 0;
  }
}
