package org.gossipdrive.tests.drive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Holes through two real mounted daemons joined by invitation: {@code truncate -s 1P}, writes far
 * past the end, {@code SEEK_DATA}/{@code SEEK_HOLE} and {@code fallocate --punch-hole}, run as a
 * user runs them. Regression: a truncate to 999,999,999,999,999 bytes made the daemon chunk and
 * hash zeros for more than ten minutes, with the FUSE request blocked; and the kernel answered
 * EOPNOTSUPP to every fallocate.
 */
class SparseFilesTest {
  private static final long PETABYTE = 1L << 50;

  @TempDir Path dir;

  @Test
  void aPetabyteSparseFileIsInstantSmallAndReplicatesAsMetadata() throws Exception {
    try (DaemonProcess alice = new DaemonProcess(dir.resolve("alice"), dir.resolve("alice-mnt"));
        DaemonProcess bob = new DaemonProcess(dir.resolve("bob"), dir.resolve("bob-mnt"))) {
      alice.cli("init", "--name", "alice");
      alice.start();
      bob.cli("join", alice.invite(), "--name", "bob", "--no-up");
      bob.start();
      Path onAlice = alice.mountPoint().resolve("disk.img");
      Path onBob = bob.mountPoint().resolve("disk.img");

      long started = System.nanoTime();
      Shell.ok(alice.mountPoint(), "truncate", "-s", "1P", "disk.img");
      long truncateMillis = (System.nanoTime() - started) / 1_000_000;
      assertTrue(truncateMillis < 1_000, "truncate -s 1P took " + truncateMillis + " ms");
      assertEquals(PETABYTE, Files.size(onAlice));
      await(() -> sizeOf(onBob) == PETABYTE, "the petabyte file on bob");
      long replicatedMillis = (System.nanoTime() - started) / 1_000_000;
      System.out.println(
          "truncate -s 1P: " + truncateMillis + " ms, on bob after " + replicatedMillis + " ms");
      assertTrue(duKib(alice.mountPoint(), "disk.img") < 1024, "du on alice");
      assertTrue(duKib(bob.mountPoint(), "disk.img") < 1024, "du on bob");

      // Data far out in the hole: only it is stored and sent; the rest still reads as zeros.
      byte[] data = new byte[3 << 20];
      new Random(2).nextBytes(data);
      long at = 700_000_000_000_000L;
      try (RandomAccessFile file = new RandomAccessFile(onAlice.toFile(), "rw")) {
        file.seek(at);
        file.write(data);
      }
      await(
          () -> java.util.Arrays.equals(data, readOrEmpty(onBob, at, data.length)),
          "the data on bob");
      assertArrayEquals(new byte[4096], read(onBob, at - 4096, 4096), "zeros before the data");
      assertArrayEquals(new byte[4096], read(onBob, 12_345_678_901L, 4096), "zeros far before");
      // SEEK_DATA and SEEK_HOLE find it, so cp and tar skip the zeros (ENXIO past the last data).
      String seeks =
          Shell.python(
              bob.mountPoint(),
              "import os\n"
                  + "fd = os.open('disk.img', os.O_RDONLY)\n"
                  + "data = os.lseek(fd, 0, os.SEEK_DATA)\n"
                  + "print(data, os.lseek(fd, data, os.SEEK_HOLE))\n"
                  + "try:\n"
                  + "    os.lseek(fd, data + (4 << 20), os.SEEK_DATA)\n"
                  + "except OSError as e:\n"
                  + "    print(e.errno)\n");
      assertEquals(at + " " + (at + data.length) + "\n6\n", seeks);
      long du = duKib(bob.mountPoint(), "disk.img");
      assertTrue(du >= 3 * 1024 && du < 5 * 1024, "du on bob counts the data only: " + du);

      // A punched hole reaches bob as zeros and frees its blocks there.
      Shell.ok(
          alice.mountPoint(),
          "fallocate",
          "--punch-hole",
          "--offset",
          Long.toString(at + (1 << 20)),
          "--length",
          Long.toString(1 << 20),
          "disk.img");
      assertEquals(PETABYTE, Files.size(onAlice), "punching keeps the size");
      await(() -> isZero(readOrEmpty(onBob, at + (1 << 20), 1 << 20)), "the punched hole on bob");
      assertArrayEquals(
          java.util.Arrays.copyOfRange(data, 0, 1 << 20), read(onBob, at, 1 << 20), "before it");
      assertArrayEquals(
          java.util.Arrays.copyOfRange(data, 2 << 20, 3 << 20),
          read(onBob, at + (2 << 20), 1 << 20),
          "after it");
      assertTrue(duKib(bob.mountPoint(), "disk.img") < du, "punching freed blocks on bob");

      // Past the largest file: EFBIG, and nothing changed.
      Shell.Result tooBig =
          Shell.run(alice.mountPoint(), java.util.List.of("truncate", "-s", "2E", "disk.img"));
      assertTrue(tooBig.output().contains("File too large"), tooBig.output());
      assertEquals(PETABYTE, Files.size(onAlice));
    }
  }

  private static long duKib(Path directory, String name) throws IOException, InterruptedException {
    return Long.parseLong(Shell.ok(directory, "du", "-k", name).split("\\s+")[0]);
  }

  private static byte[] read(Path file, long offset, int length) throws IOException {
    byte[] out = new byte[length];
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      in.seek(offset);
      in.readFully(out);
    }
    return out;
  }

  /** The bytes at {@code offset}, or none while the file is too short for them. */
  private static byte[] readOrEmpty(Path file, long offset, int length) {
    try {
      return read(file, offset, length);
    } catch (IOException e) {
      return new byte[0];
    }
  }

  private static boolean isZero(byte[] bytes) {
    for (byte b : bytes) {
      if (b != 0) {
        return false;
      }
    }
    return bytes.length > 0;
  }

  private static long sizeOf(Path path) {
    try {
      return Files.size(path);
    } catch (IOException e) {
      return -1;
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    Eventually.await(condition, Duration.ofSeconds(60), what);
  }
}
