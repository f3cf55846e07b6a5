package org.gossipdrive.tests.drive;

import static org.gossipdrive.tests.drive.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three devices from empty homes, with nothing but the CLI ({@code init}, {@code up}, {@code
 * invite}, {@code join}): what one writes appears byte for byte on the others, status shows every
 * peer online, and a killed daemon shows offline on the others.
 */
class ThreePeersTest {
  @TempDir Path dir;

  @Test
  void threeDevicesFromEmptyHomesShareOneTree() throws Exception {
    try (DaemonProcess alice = new DaemonProcess(dir.resolve("alice"), dir.resolve("alice-mnt"));
        DaemonProcess bob = new DaemonProcess(dir.resolve("bob"), dir.resolve("bob-mnt"));
        DaemonProcess carol = new DaemonProcess(dir.resolve("carol"), dir.resolve("carol-mnt"))) {
      alice.cli("init", "--name", "alice");
      // A low threshold so that carol's late join below goes through a snapshot.
      alice.start("--snapshot-after", "10");
      bob.cli("join", alice.invite(), "--name", "bob", "--no-up");
      bob.start("--snapshot-after", "10");

      Path a = alice.mountPoint();
      Random random = new Random(7);
      for (int d = 0; d < 3; d++) {
        Files.createDirectories(a.resolve("project/dir" + d + "/empty"));
        for (int f = 0; f < 10; f++) {
          byte[] content = new byte[random.nextInt(20_000)];
          random.nextBytes(content);
          Files.write(a.resolve("project/dir" + d + "/file" + f + ".bin"), content);
        }
      }
      byte[] big = new byte[5 << 20];
      random.nextBytes(big);
      Files.write(a.resolve("project/big.bin"), big);
      // Carol joins late, once the tree exists: her daemon shows the initial sync's progress.
      carol.cli("join", alice.invite(), "--name", "carol", "--no-up");
      carol.start();
      for (DaemonProcess other : List.of(bob, carol)) {
        await(
            () -> Trees.identical(a, other.mountPoint()),
            Duration.ofSeconds(60),
            "alice's tree on " + other.mountPoint());
      }
      assertArrayEquals(big, Files.readAllBytes(carol.mountPoint().resolve("project/big.bin")));
      try {
        await(
            () -> carol.output().contains("in sync: "),
            Duration.ofSeconds(30),
            "carol's daemon reporting the end of its initial sync");
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "; it printed:\n" + carol.output(), e);
      }
      assertTrue(
          carol.output().contains("(joined from a snapshot, then replayed)"), carol.output());
      assertTrue(status(carol).contains("\"recordsBehind\":0"), status(carol));
      assertTrue(status(carol).contains("\"snapshot\":null"), "the join is over: " + status(carol));

      for (DaemonProcess device : List.of(alice, bob, carol)) {
        await(
            () -> count(status(device), "\"state\":\"reachable\"") == 2,
            Duration.ofSeconds(30),
            "every peer online in " + device.mountPoint() + "'s status");
      }
      // Bob and carol were each invited by alice only: they learn where the other listens from
      // her, and link directly (a full mesh), and alice records where both listen.
      for (DaemonProcess device : List.of(alice, bob, carol)) {
        await(
            () -> count(status(device), "\"linked\":true") == 2,
            Duration.ofSeconds(30),
            "direct links to both others from " + device.mountPoint());
      }
      String alicePeers = Files.readString(dir.resolve("alice").resolve("peers"));
      for (DaemonProcess joiner : List.of(bob, carol)) {
        String id = deviceId(joiner);
        assertTrue(alicePeers.contains(id + " 127.0.0.1:"), "alice knows where " + id + " listens");
      }

      // history and restore, through the CLI, seen by every device
      Path note = carol.mountPoint().resolve("project/note.txt");
      Shell.python(carol.mountPoint(), "open('project/note.txt','w').write('first words')");
      Shell.python(carol.mountPoint(), "open('project/note.txt','w').write('second words')");
      String history = carol.cli("history", note.toString());
      Matcher first = Pattern.compile("(?m)^(\\d+)\\s.*carol\\s+11\\s").matcher(history);
      assertTrue(first.find(), history);
      carol.cli("restore", note.toString(), "--version", first.group(1));
      for (DaemonProcess device : List.of(alice, bob, carol)) {
        await(
            () -> "first words".equals(read(device.mountPoint().resolve("project/note.txt"))),
            Duration.ofSeconds(30),
            "the restored version on " + device.mountPoint());
      }
      assertTrue(alice.cli("conflicts").contains("no conflict copies"));
      assertTrue(alice.cli("peers", "--json").contains("\"name\":\"carol\""));

      long killed = System.nanoTime();
      carol.kill();
      for (DaemonProcess survivor : List.of(alice, bob)) {
        await(
            () -> {
              String status = status(survivor);
              int at = status.indexOf("\"name\":\"carol\"");
              return at >= 0
                  && !status.substring(at, status.indexOf('}', at)).contains("reachable");
            },
            Duration.ofSeconds(30),
            "carol offline on " + survivor.mountPoint());
      }
      System.out.printf(
          "carol shown offline on alice and bob %d ms after SIGKILL%n",
          (System.nanoTime() - killed) / 1_000_000);
      assertTrue(Files.exists(alice.mountPoint().resolve("project/big.bin")), "others work on");
    }
  }

  private static String status(DaemonProcess device) {
    try {
      return device.api("GET", "/api/status").body();
    } catch (IOException | InterruptedException e) {
      return "";
    }
  }

  private static String deviceId(DaemonProcess device) {
    Matcher id = Pattern.compile("\"device\":\"([^\"]+)\"").matcher(status(device));
    assertTrue(id.find(), "status names the device");
    return id.group(1);
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      n++;
    }
    return n;
  }

  private static String read(Path path) {
    try {
      return Files.readString(path);
    } catch (IOException e) {
      return null;
    }
  }
}
