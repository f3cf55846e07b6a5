package org.gossipdrive.fs.cli;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.gossipdrive.fs.daemon.Daemon;
import org.gossipdrive.fs.daemon.DaemonConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "up",
    description = {
      "Run the drive: mount it and sync with peers until Ctrl-C or SIGTERM.",
      "Stopping commits every open file, unmounts, then closes the store."
    },
    mixinStandardHelpOptions = true)
final class UpCommand implements Callable<Integer> {
  @Mixin HomeOption homeOption;

  @Option(
      names = "--mount",
      paramLabel = "DIR",
      description = "where the drive appears (default: <home>/drive)")
  Path mountPoint;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      converter = HostPort.class,
      defaultValue = "0.0.0.0:7733",
      description = "where peers connect (default: ${DEFAULT-VALUE})")
  InetSocketAddress listen;

  @Option(
      names = {"--discovery", "--mdns"},
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "find peers on the LAN by mDNS (default: on; --no-discovery or --no-mdns turns it off)")
  boolean discovery;

  @Option(
      names = "--api",
      paramLabel = "HOST:PORT",
      converter = HostPort.class,
      defaultValue = "127.0.0.1:0",
      description =
          "where the local API listens, loopback only (default: ${DEFAULT-VALUE}, any free port)")
  InetSocketAddress api;

  @Option(
      names = "--anti-entropy",
      paramLabel = "DURATION",
      defaultValue = "PT10S",
      description = "how often peers compare indexes, ISO-8601 (default: ${DEFAULT-VALUE})")
  Duration antiEntropy;

  @Option(
      names = "--lock-lease",
      paramLabel = "DURATION",
      defaultValue = "PT30S",
      description =
          "how long peers keep this device's locks after losing it, ISO-8601 (default:"
              + " ${DEFAULT-VALUE})")
  Duration lockLease;

  @Option(
      names = "--lock-companion",
      paramLabel = "PATTERN",
      description =
          "a companion name apps create next to a document, {name} standing for the document's"
              + " name; repeat for several (default: {name}@ .~lock.{name}# ~${name})")
  java.util.List<String> companions;

  @Option(
      names = "--save-temporary",
      paramLabel = "PATTERN",
      description =
          "a temporary name apps save through, * for any characters; repeat for several"
              + " (default: {name}@ lu*.tmp ~WR*.tmp)")
  java.util.List<String> transients;

  @Override
  public Integer call() throws Exception {
    Home home = homeOption.resolve();
    home.requireIdentity();
    Path point = mountPoint != null ? mountPoint : home.directory().resolve("drive");
    if (!org.gossipdrive.platform.fuse.StaleMounts.isMounted(point)) {
      // A mount left by a crash fails every call; the daemon clears it before mounting.
      java.nio.file.Files.createDirectories(point);
    }
    if (antiEntropy.isNegative() || antiEntropy.isZero()) {
      throw new CliException("--anti-entropy must be positive");
    }
    if (lockLease.toMillis() < 300) {
      throw new CliException("--lock-lease must be at least 300 ms");
    }
    org.gossipdrive.engine.lock.Companions names;
    try {
      names =
          org.gossipdrive.engine.lock.Companions.of(
              companions != null
                  ? companions
                  : org.gossipdrive.engine.lock.Companions.DEFAULT_COMPANIONS,
              transients != null
                  ? transients
                  : org.gossipdrive.engine.lock.Companions.DEFAULT_TRANSIENTS);
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
    DaemonConfig config =
        new DaemonConfig(
            home.directory(), point, listen, discovery, antiEntropy, api, lockLease, names);
    Daemon daemon = Daemon.start(config, home.name());
    CountDownLatch stopRequested = new CountDownLatch(1);
    // SIGTERM (systemd, kill) and SIGINT (Ctrl-C) ask for a clean stop, which then exits 0; the
    // shutdown hook covers any other way the JVM ends.
    for (String signal : new String[] {"TERM", "INT"}) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> stopRequested.countDown());
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        // this platform lacks the signal: the shutdown hook still stops cleanly
      }
    }
    Thread hook = new Thread(daemon::close, "gossipdrive-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    System.out.println(
        "GossipDrive "
            + home.name()
            + " ("
            + daemon.identity().id()
            + ") mounted at "
            + daemon.mountPoint()
            + ", listening on "
            + org.gossipdrive.fs.daemon.KnownPeers.format(daemon.listening()));
    System.out.println("Stop with Ctrl-C; status: gossipdrive status --home " + home.directory());
    System.out.flush();
    stopRequested.await();
    System.out.println("Stopping: committing open files and unmounting...");
    daemon.close();
    System.out.println("Stopped.");
    return 0;
  }
}
