package org.gossipdrive.tests.drive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the drive stores is readable by its owner only (invariant 7), checked as another local user:
 * the tests run as root, which passes every permission check, so each read is tried as {@code
 * nobody} through {@code setpriv}.
 */
class PrivateHomeTest {
  @TempDir Path dir;

  @BeforeEach
  void scratchIsOpenToOthers() throws IOException {
    // Only the home's own modes may stand between another user and its files.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** Whether {@code nobody} can read {@code file}. */
  private static boolean othersCanRead(Path file) throws IOException, InterruptedException {
    Shell.Result result =
        Shell.run(
            Path.of("/"),
            List.of(
                "setpriv",
                "--reuid=nobody",
                "--regid=nogroup",
                "--clear-groups",
                "cat",
                file.toString()));
    return result.exit() == 0;
  }

  private static List<Path> filesUnder(Path home, Path skip) throws IOException {
    try (Stream<Path> walk = Files.walk(home)) {
      return walk.filter(p -> !p.startsWith(skip))
          .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          .toList();
    }
  }

  private static Set<PosixFilePermission> mode(Path path) throws IOException {
    return Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
  }

  private static void writeAndStop(DaemonProcess alice, String name) throws Exception {
    alice.start();
    byte[] content = new byte[4 << 20];
    new java.util.Random(7).nextBytes(content);
    // The last close commits it; stopping closes the store, so its files are all on disk.
    Files.write(alice.mountPoint().resolve(name), content);
    assertEquals(0, alice.stop());
  }

  @Test
  void noFileUnderTheHomeIsReadableByAnotherUser() throws Exception {
    Path control = dir.resolve("control.txt");
    Files.writeString(control, "public");
    Files.setPosixFilePermissions(control, PosixFilePermissions.fromString("rw-r--r--"));
    assertTrue(othersCanRead(control), "the probe must be able to read a public file");

    Path home = dir.resolve("alice");
    Path mount = home.resolve("drive");
    try (DaemonProcess alice = new DaemonProcess(home, mount)) {
      alice.cli("init", "--name", "alice");
      writeAndStop(alice, "secret.bin");

      assertEquals(PosixFilePermissions.fromString("rwx------"), mode(home));
      List<Path> files = filesUnder(home, mount);
      assertTrue(
          files.stream().anyMatch(f -> f.startsWith(home.resolve("replica"))),
          "the store wrote its files: " + files);
      List<Path> readable = new ArrayList<>();
      List<Path> loose = new ArrayList<>();
      for (Path file : files) {
        if (othersCanRead(file)) {
          readable.add(file);
        }
        if (!mode(file).equals(PosixFilePermissions.fromString("rw-------"))) {
          loose.add(file);
        }
      }
      assertEquals(List.of(), readable, "files another user can read");
      // Defence in depth: even the store's own files are 0600, not just behind a 0700 home.
      assertEquals(List.of(), loose, "files not 0600");
    }
  }

  @Test
  void upTightensAHomeLeftOpen() throws Exception {
    Path home = dir.resolve("alice");
    Path mount = home.resolve("drive");
    try (DaemonProcess alice = new DaemonProcess(home, mount)) {
      alice.cli("init", "--name", "alice");
      writeAndStop(alice, "one.bin");
      // A home made before this check, or opened up by hand.
      Path pub = home.resolve("device.pub");
      Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.setPosixFilePermissions(pub, PosixFilePermissions.fromString("rw-r--r--"));
      Path replica = home.resolve("replica");
      Files.setPosixFilePermissions(replica, PosixFilePermissions.fromString("rwxr-xr-x"));
      assertTrue(othersCanRead(pub), "reproduced: an open home is readable");

      writeAndStop(alice, "two.bin");

      assertEquals(PosixFilePermissions.fromString("rwx------"), mode(home));
      assertEquals(PosixFilePermissions.fromString("rwx------"), mode(replica));
      assertEquals(PosixFilePermissions.fromString("rw-------"), mode(pub));
      assertFalse(othersCanRead(pub));
    }
  }

  @Test
  void upRefusesWithOneLineWhenItCannotMakeTheHomePrivate() throws Exception {
    Path home = dir.resolve("alice");
    try (DaemonProcess alice = new DaemonProcess(home, home.resolve("drive"))) {
      alice.cli("init", "--name", "alice");
      Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
      // An immutable directory's mode cannot be changed, even by root: up must say so and stop.
      Shell.ok(dir, "chattr", "+i", home.toString());
      try {
        Shell.Result result = alice.tryUp();
        assertNotEquals(0, result.exit(), result.output());
        List<String> errors = result.output().lines().filter(l -> l.startsWith("error:")).toList();
        assertEquals(1, errors.size(), result.output());
        assertTrue(errors.get(0).contains("cannot make " + home + " private"), result.output());
        assertTrue(errors.get(0).contains("chmod 700"), result.output());
        assertFalse(result.output().contains("\tat "), "no stack trace:\n" + result.output());
        assertEquals(PosixFilePermissions.fromString("rwxr-xr-x"), mode(home));
      } finally {
        Shell.ok(dir, "chattr", "-i", home.toString());
      }
    }
  }
}
