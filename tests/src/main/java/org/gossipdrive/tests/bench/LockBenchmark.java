package org.gossipdrive.tests.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.gossipdrive.engine.lock.Companions;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.fs.cli.Main;
import org.gossipdrive.fs.daemon.Daemon;
import org.gossipdrive.fs.daemon.DaemonConfig;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.lock.LockConfig;
import org.gossipdrive.net.lock.LockService;
import org.gossipdrive.net.membership.FrameFanout;
import org.gossipdrive.net.membership.MemberState;
import org.gossipdrive.net.transport.Transport;
import org.gossipdrive.net.transport.TransportConfig;
import org.gossipdrive.net.transport.TrustPolicy;
import org.gossipdrive.tests.data.ScratchDirs;

/**
 * Lock latency on loopback TLS: acquires with 2 and 5 peers (median, p99 of 200), and what an
 * {@code open(O_WRONLY)} on the mounted drive pays for taking the lock from a peer.
 */
public final class LockBenchmark {
  private static final int ACQUIRES = 200;
  private static final int WARMUP = 30;

  private LockBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path root = args.length > 0 ? Path.of(args[0]) : Path.of("bench-data", "locks");
    System.out.println("Lock acquire latency, peers in one process over TLS 1.3 on 127.0.0.1");
    System.out.println("| peers | acquires | median ms | p99 ms | max ms |");
    System.out.println("|---|---|---|---|---|");
    for (int peers : new int[] {2, 5}) {
      double[] ms = acquireLatencies(peers);
      System.out.printf(
          Locale.ROOT,
          "| %d | %d | %.2f | %.2f | %.2f |%n",
          peers,
          ACQUIRES,
          percentile(ms, 50),
          percentile(ms, 99),
          ms[ms.length - 1]);
    }
    System.out.println();
    openLatencies(root);
  }

  // ---- the protocol alone ------------------------------------------------------------------

  private static double[] acquireLatencies(int count) throws Exception {
    Set<DeviceId> trusted = ConcurrentHashMap.newKeySet();
    List<LockService> services = new ArrayList<>();
    List<Transport> transports = new ArrayList<>();
    List<InetSocketAddress> addresses = new ArrayList<>();
    List<DeviceIdentity> identities = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        DeviceIdentity identity = DeviceIdentity.generate();
        identities.add(identity);
        trusted.add(identity.id());
        LockService locks =
            new LockService(
                identity.id(), "peer-" + i, LockConfig.defaults(), Clock.systemUTC(), id -> true);
        services.add(locks);
        Transport transport =
            new Transport(
                identity,
                "DRIVE-LOCK-BENCH",
                "peer-" + i,
                TrustPolicy.of(trusted::contains),
                TransportConfig.defaults(),
                new FrameFanout(locks));
        transports.add(transport);
        addresses.add(transport.listen(new InetSocketAddress("127.0.0.1", 0)));
      }
      for (int i = 0; i < count; i++) {
        for (int j = i + 1; j < count; j++) {
          transports.get(i).connectPeer(addresses.get(j), identities.get(j).id());
        }
      }
      Thread.sleep(500);
      LockService first = services.getFirst();
      double[] ms = new double[ACQUIRES];
      for (int i = -WARMUP; i < ACQUIRES; i++) {
        String path = "/bench/file-" + i;
        long start = System.nanoTime();
        if (!first.acquire(path).granted()) {
          throw new IllegalStateException("acquire of " + path + " refused");
        }
        long took = System.nanoTime() - start;
        first.release(path);
        if (i >= 0) {
          ms[i] = took / 1e6;
        }
      }
      Arrays.sort(ms);
      return ms;
    } finally {
      transports.forEach(Transport::close);
      services.forEach(LockService::close);
    }
  }

  // ---- through the mounted drive -----------------------------------------------------------

  private static void openLatencies(Path root) throws Exception {
    ScratchDirs.delete(root);
    Path aliceHome = root.resolve("alice");
    Path bobHome = root.resolve("bob");
    Files.createDirectories(root.resolve("alice-mnt"));
    Files.createDirectories(root.resolve("bob-mnt"));
    check(Main.run("init", "--home", aliceHome.toString(), "--name", "alice"));
    Daemon alice = Daemon.start(config(aliceHome, root.resolve("alice-mnt")), "alice");
    Daemon bob = null;
    try {
      String token = alice.invite(Duration.ofMinutes(5)).toText();
      check(Main.run("join", token, "--home", bobHome.toString(), "--name", "bob", "--no-up"));
      bob = Daemon.start(config(bobHome, root.resolve("bob-mnt")), "bob");
      DeviceId bobId = bob.identity().id();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (alice.membership().state(bobId) != MemberState.REACHABLE) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("bob never connected");
        }
        Thread.sleep(50);
      }
      Thread.sleep(1000);
      Path mount = alice.mountPoint();
      List<Path> files = new ArrayList<>();
      for (int i = 0; i < ACQUIRES + WARMUP; i++) {
        Path file = mount.resolve("doc-" + i + ".txt");
        Files.writeString(file, "document " + i);
        files.add(file);
      }
      double[] read = opens(files, StandardOpenOption.READ);
      double[] firstWrite = opens(files, StandardOpenOption.WRITE);
      double[] heldWrite = opens(files, StandardOpenOption.WRITE);
      System.out.println(
          "open() + close() on alice's mount, bob connected (each path opened once per row)");
      System.out.println("| open | median ms | p99 ms |");
      System.out.println("|---|---|---|");
      row("O_RDONLY (no lock)", read);
      row("O_WRONLY, lock taken from bob", firstWrite);
      row("O_WRONLY, lock already held here", heldWrite);
      System.out.printf(
          Locale.ROOT,
          "extra latency of taking the lock: median %.2f ms, p99 %.2f ms%n",
          percentile(firstWrite, 50) - percentile(heldWrite, 50),
          percentile(firstWrite, 99) - percentile(heldWrite, 99));
    } finally {
      if (bob != null) {
        bob.close();
      }
      alice.close();
    }
  }

  private static double[] opens(List<Path> files, StandardOpenOption mode) throws IOException {
    double[] ms = new double[ACQUIRES];
    for (int i = 0; i < files.size(); i++) {
      long start = System.nanoTime();
      try (FileChannel channel = FileChannel.open(files.get(i), mode)) {
        channel.size();
      }
      long took = System.nanoTime() - start;
      if (i >= WARMUP) {
        ms[i - WARMUP] = took / 1e6;
      }
    }
    Arrays.sort(ms);
    return ms;
  }

  private static DaemonConfig config(Path home, Path mount) {
    return new DaemonConfig(
        home,
        mount,
        new InetSocketAddress("127.0.0.1", 0),
        false,
        Duration.ofSeconds(10),
        new InetSocketAddress("127.0.0.1", 0),
        Duration.ofSeconds(30),
        Companions.defaults(),
        java.util.List.of(),
        org.gossipdrive.net.sync.Replicator.DEFAULT_SNAPSHOT_THRESHOLD);
  }

  private static void check(int status) {
    if (status != 0) {
      throw new IllegalStateException("a CLI step failed with status " + status);
    }
  }

  private static void row(String what, double[] ms) {
    System.out.printf(
        Locale.ROOT, "| %s | %.2f | %.2f |%n", what, percentile(ms, 50), percentile(ms, 99));
  }

  private static double percentile(double[] sorted, double p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
