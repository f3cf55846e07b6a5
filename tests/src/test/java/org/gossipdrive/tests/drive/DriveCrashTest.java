package org.gossipdrive.tests.drive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.gossipdrive.platform.fuse.StaleMounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of the daemon while an application writes through the mount. After a restart (which must
 * clear the dead mount by itself): every file whose close() or fsync() returned is intact, verify
 * passes, and no file shows half of what was written.
 */
class DriveCrashTest {
  private static final int KILLS = 4;

  private static final String WRITER =
      """
      import hashlib, os, random, sys
      r = random.Random(int(sys.argv[1]))
      i = 0
      while True:
          name = f"f{sys.argv[1]}-{i:05}"
          size = r.choice([0, 100, 5000, 70000, 1 << 20, 3 << 20])
          data = r.randbytes(size)
          print("begin", name, hashlib.sha256(data).hexdigest(), flush=True)
          fd = os.open(name, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o644)
          for start in range(0, size, 65536):
              os.write(fd, data[start:start + 65536])
          if i % 3 == 0:
              os.fsync(fd)
          os.close(fd)
          print("closed", name, flush=True)
          i += 1
      """;

  @TempDir Path dir;

  @Test
  void closedFilesSurviveKillNine() throws Exception {
    Path home = dir.resolve("home");
    Path mount = dir.resolve("mnt");
    Random random = new Random(20261122);
    try (DaemonProcess daemon = new DaemonProcess(home, mount)) {
      daemon.cli("init", "--name", "crash");
      daemon.start();
      List<String> closed = new ArrayList<>();
      java.util.Map<String, String> intended = new java.util.HashMap<>();
      for (int round = 0; round < KILLS; round++) {
        Process writer =
            new ProcessBuilder("python3", "-c", WRITER, Integer.toString(round))
                .directory(mount.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<String> lines = new ArrayList<>();
        Thread reader =
            Thread.ofPlatform()
                .start(
                    () -> {
                      try (BufferedReader in =
                          new BufferedReader(
                              new InputStreamReader(
                                  writer.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = in.readLine()) != null; ) {
                          synchronized (lines) {
                            lines.add(line);
                          }
                        }
                      } catch (java.io.IOException ignored) {
                        // the writer died with the mount
                      }
                    });
        Thread.sleep(1500 + random.nextInt(2500));
        daemon.kill();
        assertTrue(writer.waitFor(60, TimeUnit.SECONDS), "the writer did not notice the crash");
        reader.join(10_000);
        synchronized (lines) {
          for (String line : lines) {
            String[] fields = line.split(" ");
            if (fields[0].equals("begin")) {
              intended.put(fields[1], fields[2]);
            } else {
              closed.add(fields[1]);
            }
          }
        }
        assertFalse(closed.isEmpty(), "the writer closed nothing before the kill");
        assertTrue(StaleMounts.isMounted(mount), "SIGKILL leaves the mount behind");
        if (round < KILLS - 1) {
          daemon.start(); // must remove the dead mount itself
        } else {
          // The last restart: verify asked while the daemon is still starting waits for it (its
          // daemon.json still names the killed daemon's port).
          daemon.launch();
          awaitHomeLocked(home);
          Shell.Result early = daemon.tryCli("verify");
          assertEquals(0, early.exit(), early.output());
          assertTrue(early.output().contains("OK"), early.output());
          daemon.awaitMounted();
        }
        for (String name : closed) {
          Path path = mount.resolve(name);
          assertTrue(Files.exists(path), name + " was closed but is gone");
          assertEquals(intended.get(name), sha256(path), name + " was closed but is damaged");
        }
        try (var entries = Files.list(mount)) {
          for (Path path : entries.toList()) {
            String name = path.getFileName().toString();
            // A file whose close() had not returned is absent (a new small file is committed at
            // its close), empty (a big one is created first) or whole (its fsync or close
            // committed, the reply was lost): never partial.
            assertTrue(
                Files.size(path) == 0 || intended.get(name).equals(sha256(path)),
                name + " was being written at the kill and shows partial content");
          }
        }
        String report = daemon.cli("verify");
        assertTrue(report.startsWith("OK"), report);
      }
      assertEquals(0, daemon.stop(), "SIGTERM stops the daemon cleanly");
      assertFalse(StaleMounts.isMounted(mount), "SIGTERM unmounts");
      System.out.printf("%d kills, %d closed files checked%n", KILLS, closed.size());
    }
  }

  /** Waits until a daemon process holds the home (it takes the lock first thing). */
  private static void awaitHomeLocked(Path home) throws Exception {
    Path lock = home.resolve("daemon.lock");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (Files.exists(lock)) {
        try (var channel =
                java.nio.channels.FileChannel.open(lock, java.nio.file.StandardOpenOption.WRITE);
            var held = channel.tryLock()) {
          if (held == null) {
            return;
          }
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no daemon took " + lock);
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
