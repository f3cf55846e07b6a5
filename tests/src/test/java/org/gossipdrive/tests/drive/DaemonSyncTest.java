package org.gossipdrive.tests.drive;

import static org.gossipdrive.tests.drive.Eventually.readOrNull;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two devices, each a separate daemon process with its own mount, joined through a real invitation:
 * what one writes through its mount appears, byte for byte, in the other's.
 */
class DaemonSyncTest {
  @TempDir Path dir;

  @Test
  void filesWrittenOnOneMountAppearOnTheOther() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    String address = "127.0.0.1:" + port;
    try (DaemonProcess alice =
            new DaemonProcess(dir.resolve("alice"), dir.resolve("alice-mnt"), address);
        DaemonProcess bob = new DaemonProcess(dir.resolve("bob"), dir.resolve("bob-mnt"))) {
      alice.cli("init", "--name", "alice");
      Process invite =
          new ProcessBuilder(
                  DaemonProcess.java(
                      "invite",
                      "--home",
                      dir.resolve("alice").toString(),
                      "--listen",
                      address,
                      "--address",
                      address))
              .redirectErrorStream(true)
              .start();
      String token = readToken(invite);
      bob.cli("join", token, "--name", "bob", "--no-up");
      assertTrue(invite.waitFor(30, TimeUnit.SECONDS), "invite returns once bob joined");
      alice.start();
      bob.start();

      byte[] content = new byte[3 << 20];
      new Random(4).nextBytes(content);
      Path aliceMount = alice.mountPoint();
      Files.createDirectories(aliceMount.resolve("docs"));
      Files.write(aliceMount.resolve("docs/report.bin"), content);
      Files.writeString(aliceMount.resolve("hello.txt"), "hello from alice");
      Path onBob = bob.mountPoint().resolve("docs/report.bin");
      await(() -> Files.exists(onBob) && sizeOf(onBob) == content.length, "alice's file on bob");
      assertArrayEquals(content, Files.readAllBytes(onBob));
      assertEquals("hello from alice", Files.readString(bob.mountPoint().resolve("hello.txt")));

      Files.writeString(bob.mountPoint().resolve("hello.txt"), "bob edited this");
      await(
          () -> "bob edited this".equals(readOrNull(aliceMount.resolve("hello.txt"))),
          "bob's edit on alice");
      Files.move(bob.mountPoint().resolve("docs"), bob.mountPoint().resolve("archive"));
      await(() -> Files.exists(aliceMount.resolve("archive/report.bin")), "bob's rename on alice");
      assertArrayEquals(content, Files.readAllBytes(aliceMount.resolve("archive/report.bin")));

      // New files reach bob with their content: never as the empty file their creation made.
      Files.createDirectories(aliceMount.resolve("new"));
      Path newOnBob = bob.mountPoint().resolve("new");
      await(() -> Files.isDirectory(newOnBob), "the directory on bob");
      java.util.Set<String> seenEmpty = java.util.concurrent.ConcurrentHashMap.newKeySet();
      java.util.concurrent.atomic.AtomicBoolean watching =
          new java.util.concurrent.atomic.AtomicBoolean(true);
      Thread watcher =
          Thread.ofPlatform()
              .start(
                  () -> {
                    while (watching.get()) {
                      try (var names = Files.list(newOnBob)) {
                        names.forEach(
                            f -> {
                              if (sizeOf(f) == 0) {
                                seenEmpty.add(f.getFileName().toString());
                              }
                            });
                      } catch (java.io.IOException | java.io.UncheckedIOException e) {
                        // listing raced with a change: look again
                      }
                    }
                  });
      try {
        Shell.python(
            aliceMount,
            "for i in range(40):\n    open(f'new/f{i}.txt', 'w').write('content %d' % i)");
        await(
            () -> "content 39".equals(readOrNull(newOnBob.resolve("f39.txt"))),
            "the last new file on bob");
      } finally {
        watching.set(false);
        watcher.join();
      }
      assertTrue(seenEmpty.isEmpty(), "new files seen empty on bob: " + seenEmpty);

      String status = alice.cli("status", "--json");
      assertTrue(status.contains("\"name\":\"bob\""), status);
      assertTrue(status.contains("\"lastSync\":\""), status);
    }
  }

  @Test
  void aRunningDaemonInvitesAndAdmitsANewDevice() throws Exception {
    try (DaemonProcess alice = new DaemonProcess(dir.resolve("alice"), dir.resolve("alice-mnt"));
        DaemonProcess bob = new DaemonProcess(dir.resolve("bob"), dir.resolve("bob-mnt"))) {
      alice.cli("init", "--name", "alice");
      alice.start();
      Files.writeString(alice.mountPoint().resolve("before.txt"), "written before bob existed");
      String printed = alice.cli("invite", "--valid", "PT5M");
      String token =
          printed
              .lines()
              .filter(l -> l.startsWith("gd1."))
              .findFirst()
              .orElseThrow(() -> new AssertionError(printed));
      assertTrue(printed.contains("needs no restart"), printed);
      bob.cli("join", token, "--name", "bob", "--no-up");
      bob.start();
      Path onBob = bob.mountPoint().resolve("before.txt");
      // The content, not the name: waiting for a name says nothing about its content.
      await(() -> "written before bob existed".equals(readOrNull(onBob)), "alice's file on bob");
      // bob renames himself: alice shows the new name once the trusted set reaches her
      assertTrue(bob.cli("rename", "bob's laptop").contains("bob's laptop"));
      await(
          () -> {
            try {
              return alice.api("GET", "/api/peers").body().contains("\"name\":\"bob's laptop\"");
            } catch (java.io.IOException | InterruptedException e) {
              return false;
            }
          },
          "bob's new name on alice");
      assertTrue(bob.cli("status").contains("bob's laptop"), "and on bob himself");
      Files.writeString(bob.mountPoint().resolve("from-bob.txt"), "hello alice");
      await(
          () -> "hello alice".equals(readOrNull(alice.mountPoint().resolve("from-bob.txt"))),
          "bob's file on alice, without restarting alice");
      // Locks bob takes from now on carry his new name, without restarting bob either.
      Process editing =
          new ProcessBuilder(
                  "python3", "-c", "import time; f = open('from-bob.txt', 'a'); time.sleep(60)")
              .directory(bob.mountPoint().toFile())
              .start();
      try {
        await(
            () -> {
              try {
                return alice.cli("locks").contains("bob's laptop");
              } catch (java.io.IOException | InterruptedException | AssertionError e) {
                return false;
              }
            },
            "bob's lock shown on alice under his new name");
      } finally {
        editing.destroyForcibly();
        editing.waitFor();
      }
    }
  }

  private static String readToken(Process invite) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(invite.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line; (line = out.readLine()) != null; ) {
      seen.append(line).append('\n');
      if (line.startsWith("gd1.")) {
        Thread.ofVirtual().start(() -> out.lines().forEach(l -> {}));
        return line.strip();
      }
    }
    throw new AssertionError("invite printed no token:\n" + seen);
  }

  private static long sizeOf(Path path) {
    try {
      return Files.size(path);
    } catch (java.io.IOException e) {
      return -1;
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    Eventually.await(condition, Duration.ofSeconds(60), what);
  }
}
