package org.gossipdrive.fs.cli;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.gossipdrive.engine.lock.Companions;
import org.gossipdrive.fs.daemon.Daemon;
import org.gossipdrive.fs.daemon.DaemonConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

@Command(
    name = "up",
    description = {
      "Run the drive: mount it and sync with peers until Ctrl-C or SIGTERM.",
      "Stopping commits every open file, unmounts, then closes the store.",
      "Settings come from these options, then <home>/config, then the defaults (docs/config.md)."
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
      description = "where peers connect (default: 0.0.0.0:7733)")
  String listen;

  @Option(
      names = "--advertise",
      paramLabel = "HOST:PORT",
      description =
          "where peers should dial this device when it differs from --listen (port forwarding,"
              + " a relay); repeat for several (default: the listen address, or every interface's"
              + " address when listening on all)")
  List<String> advertise;

  @Option(
      names = {"--discovery", "--mdns"},
      negatable = true,
      fallbackValue = "true",
      description = "find peers on the LAN by mDNS (default: on; --no-discovery turns it off)")
  Boolean discovery;

  @Option(
      names = "--api",
      paramLabel = "HOST:PORT",
      description = "where the local API listens, loopback only (default: 127.0.0.1:0, any port)")
  String api;

  @Option(
      names = "--anti-entropy",
      paramLabel = "DURATION",
      description = "how often peers compare indexes, ISO-8601 (default: PT10S)")
  String antiEntropy;

  @Option(
      names = "--snapshot-after",
      paramLabel = "RECORDS",
      description =
          "how many records a peer may lag behind before it is sent a snapshot of the tree"
              + " instead of a replay of every record (default: 5000)")
  String snapshotAfter;

  @Option(
      names = "--lock-lease",
      paramLabel = "DURATION",
      description = "how long peers keep this device's locks after losing it (default: PT30S)")
  String lockLease;

  @Option(
      names = "--lock-companion",
      paramLabel = "PATTERN",
      description =
          "a companion name apps create next to a document, {name} standing for the document's"
              + " name; repeat for several (default: {name}@ .~lock.{name}# ~${name})")
  List<String> companions;

  @Option(
      names = "--save-temporary",
      paramLabel = "PATTERN",
      description =
          "a temporary name apps save through, * for any characters; repeat for several"
              + " (default: {name}@ lu*.tmp ~WR*.tmp)")
  List<String> transients;

  @Override
  public Integer call() throws Exception {
    Home home = homeOption.resolve();
    // Before anything in the home is read: a home others can enter is closed, or refused.
    PrivateHome.close(home.directory());
    home.requireIdentity();
    ConfigFile config = ConfigFile.of(home.directory());
    Path point =
        mountPoint != null
            ? mountPoint
            : config.get("mount").map(Path::of).orElse(home.directory().resolve("drive"));
    int tightened = PrivateHome.tighten(home.directory(), point);
    if (tightened > 0) {
      System.out.println(
          "made " + tightened + " entries under " + home.directory() + " private to their owner");
    }
    // A mount left by a crash is kept (the daemon clears it before mounting); a Windows drive
    // letter is not created at all.
    org.gossipdrive.fs.fuse.DriveMount.createMountPoint(point);
    DaemonConfig settings =
        new DaemonConfig(
            home.directory(),
            point,
            address(config, "listen", listen),
            discovery != null ? discovery : bool(config, "discovery"),
            positive(config, "anti-entropy", antiEntropy, Duration.ZERO),
            address(config, "api", api),
            positive(config, "lock-lease", lockLease, Duration.ofMillis(300)),
            companions(config),
            advertised(config),
            count(config, "snapshot-after", snapshotAfter));
    Path logs = org.gossipdrive.fs.daemon.DaemonLog.start(home.directory());
    long started = System.nanoTime();
    Daemon daemon = Daemon.start(settings, home.name());
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
            + org.gossipdrive.fs.daemon.TerminalText.escape(home.name())
            + " ("
            + daemon.identity().id()
            + ") mounted at "
            + daemon.mountPoint()
            + ", listening on "
            + org.gossipdrive.fs.daemon.KnownPeers.format(daemon.listening()));
    System.out.println("Stop with Ctrl-C; status: gossipdrive status --home " + home.directory());
    System.out.println("Logs: " + logs.resolve("gossipdrive.0.log"));
    System.out.flush();
    Thread.ofPlatform()
        .daemon(true)
        .name("gossipdrive-sync-progress")
        .start(
            new SyncProgress(
                daemon.replicator(),
                () -> !daemon.replica().snapshotFloor().isEmpty(),
                () -> daemon.membership().view().stream().mapToLong(p -> p.bytesIn()).sum(),
                started,
                System.out,
                System.console() != null));
    stopRequested.await();
    System.out.println("Stopping: committing open files and unmounting...");
    daemon.close();
    System.out.println("Stopped.");
    return 0;
  }

  private static String setting(ConfigFile config, String key, String option) {
    return option != null ? option : config.get(key).orElse(ConfigFile.KEYS.get(key)[0]);
  }

  private static InetSocketAddress address(ConfigFile config, String key, String option) {
    String value = setting(config, key, option);
    try {
      return new HostPort().convert(value);
    } catch (TypeConversionException e) {
      throw where(config, key, option, e.getMessage());
    }
  }

  private static long count(ConfigFile config, String key, String option) {
    String value = setting(config, key, option);
    try {
      long count = Long.parseLong(value.trim());
      if (count > 0) {
        return count;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw where(config, key, option, "'" + value + "' is not a whole number above 0");
  }

  private static boolean bool(ConfigFile config, String key) {
    String value = setting(config, key, null);
    if (!value.equals("true") && !value.equals("false")) {
      throw config.invalid(key, "'" + value + "' is not true or false");
    }
    return Boolean.parseBoolean(value);
  }

  private static Duration positive(ConfigFile config, String key, String option, Duration min) {
    String value = setting(config, key, option);
    Duration duration;
    try {
      duration = Duration.parse(value);
    } catch (DateTimeParseException e) {
      throw where(config, key, option, "'" + value + "' is not an ISO-8601 duration such as PT30S");
    }
    if (duration.isNegative() || duration.isZero() || duration.compareTo(min) < 0) {
      throw where(
          config,
          key,
          option,
          "must be positive" + (min.isZero() ? "" : " and at least " + min.toMillis() + " ms"));
    }
    return duration;
  }

  private List<InetSocketAddress> advertised(ConfigFile config) {
    List<String> values =
        advertise != null
            ? advertise
            : config.get("advertise").isPresent() ? config.list("advertise") : List.of();
    List<InetSocketAddress> addresses = new java.util.ArrayList<>();
    for (String value : values) {
      try {
        InetSocketAddress address = new HostPort().convert(value);
        if (address.getPort() == 0) {
          throw new TypeConversionException("'" + value + "' needs a port other than 0");
        }
        addresses.add(address);
      } catch (TypeConversionException e) {
        throw where(config, "advertise", advertise != null ? value : null, e.getMessage());
      }
    }
    return addresses;
  }

  private Companions companions(ConfigFile config) {
    List<String> companionPatterns =
        companions != null
            ? companions
            : config.get("lock-companions").isPresent()
                ? config.list("lock-companions")
                : Companions.DEFAULT_COMPANIONS;
    List<String> transientPatterns =
        transients != null
            ? transients
            : config.get("save-temporaries").isPresent()
                ? config.list("save-temporaries")
                : Companions.DEFAULT_TRANSIENTS;
    try {
      return Companions.of(companionPatterns, transientPatterns);
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
  }

  private static CliException where(ConfigFile config, String key, String option, String why) {
    return option != null ? new CliException("--" + key + ": " + why) : config.invalid(key, why);
  }
}
