package org.gossipdrive.tests.drive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a new user gets wrong, through the real CLI: each mistake is one line starting with
 * "error:", no stack trace, and the home stays usable.
 */
class BadInputTest {
  @TempDir Path dir;

  private static void oneLineError(Shell.Result result, String expected) {
    assertEquals(1, result.exit(), result.output());
    String errors =
        result.output().lines().filter(l -> l.startsWith("error:")).findFirst().orElse("");
    assertTrue(errors.contains(expected), "expected '" + expected + "' in:\n" + result.output());
    assertFalse(result.output().contains("\tat "), "no stack trace:\n" + result.output());
  }

  private static String readOrNull(Path path) {
    try {
      return Files.readString(path);
    } catch (java.io.IOException e) {
      return null;
    }
  }

  @Test
  void mistakesGetOneLineAndLeaveTheHomeUsable() throws Exception {
    try (DaemonProcess alice = new DaemonProcess(dir.resolve("alice"), dir.resolve("alice-mnt"));
        DaemonProcess bob = new DaemonProcess(dir.resolve("bob"), dir.resolve("bob-mnt"));
        DaemonProcess other = new DaemonProcess(dir.resolve("other"), dir.resolve("other-mnt"))) {
      alice.cli("init", "--name", "alice");
      other.cli("init", "--name", "other");

      oneLineError(
          bob.tryCli("join", "garbage", "--name", "bob", "--no-up"),
          "not a GossipDrive invitation");

      alice.start();
      String token = alice.invite();
      // a device of another drive cannot join this one with its home
      oneLineError(
          other.tryCli("join", token, "--name", "other", "--no-up"), "already belongs to drive");

      bob.cli("join", token, "--name", "bob", "--no-up");
      oneLineError(
          bob.tryCli("join", token, "--name", "bob", "--no-up"), "already belongs to drive");
      assertTrue(bob.tryCli("join", token, "--no-up").output().contains("[already-member]"));
      DaemonProcess carol = new DaemonProcess(dir.resolve("carol"), dir.resolve("carol-mnt"));
      // no invitation is open any more: alice will not even talk to an unknown key
      oneLineError(carol.tryCli("join", token, "--name", "carol", "--no-up"), "not-admitted");

      oneLineError(alice.tryUp(), "a daemon is already running");
      Files.createDirectories(bob.mountPoint());
      Files.writeString(bob.mountPoint().resolve("in-the-way.txt"), "not a drive");
      oneLineError(bob.tryUp(), "is not empty");
      Files.delete(bob.mountPoint().resolve("in-the-way.txt"));
      oneLineError(bob.tryUp("--lock-lease", "forever"), "--lock-lease");

      // every refusal left the homes usable: bob starts and syncs with alice
      bob.start();
      Files.writeString(alice.mountPoint().resolve("after.txt"), "still works");
      long deadline = System.nanoTime() + 60_000_000_000L;
      Path onBob = bob.mountPoint().resolve("after.txt");
      // Waits for the content, not the name: the file appears empty first (its creation), and
      // the kernel may keep that size for a second (docs/drive.md, open defect).
      while (!"still works".equals(readOrNull(onBob)) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertEquals("still works", Files.readString(onBob));
      oneLineError(other.tryCli("status"), "no daemon is running");
    }
  }
}
