package org.gossipdrive.tests.bench;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gossipdrive.tests.drive.DaemonProcess;

/** Two GossipDrive daemons (separate processes, real mounts), bob joined through an invitation. */
final class GossipDrivePair implements SyncPair {
  private static final Pattern TRAFFIC = Pattern.compile("\"bytes(?:In|Out)\":(\\d+)");

  private final DaemonProcess alice;
  private final DaemonProcess bob;

  GossipDrivePair(Path dir) throws Exception {
    java.nio.file.Files.createDirectories(dir);
    alice = new DaemonProcess(dir.resolve("alice"), dir.resolve("alice-mnt"));
    bob = new DaemonProcess(dir.resolve("bob"), dir.resolve("bob-mnt"));
    try {
      alice.cli("init", "--name", "alice");
      alice.start();
      bob.cli("join", alice.invite(), "--name", "bob", "--no-up");
      bob.start();
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (!alice.api("GET", "/api/status").body().contains("\"state\":\"reachable\"")) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("bob did not become reachable from alice");
        }
        Thread.sleep(100);
      }
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  @Override
  public String name() {
    return "GossipDrive";
  }

  @Override
  public Path source() {
    return alice.mountPoint();
  }

  @Override
  public Path target() {
    return bob.mountPoint();
  }

  /** Alice's traffic with bob, both directions: every byte between the two. */
  @Override
  public long wireBytes() throws Exception {
    Matcher m = TRAFFIC.matcher(alice.api("GET", "/api/status").body());
    long total = 0;
    while (m.find()) {
      total += Long.parseLong(m.group(1));
    }
    return total;
  }

  @Override
  public void close() throws Exception {
    try {
      alice.close();
    } finally {
      bob.close();
    }
  }
}
