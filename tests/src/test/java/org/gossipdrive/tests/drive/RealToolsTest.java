package org.gossipdrive.tests.drive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everyday tools on one device's mount, checked on the other's: git clone and commits from both
 * sides, rsync of a 5,000-file tree, a LibreOffice-style editing session (read-only elsewhere
 * meanwhile), and cp of a 1 GiB file.
 */
class RealToolsTest {
  @TempDir static Path dir;
  static DaemonProcess alice;
  static DaemonProcess bob;

  @BeforeAll
  static void twoDevices() throws Exception {
    alice = new DaemonProcess(dir.resolve("alice"), dir.resolve("alice-mnt"));
    bob = new DaemonProcess(dir.resolve("bob"), dir.resolve("bob-mnt"));
    alice.cli("init", "--name", "alice");
    alice.start();
    String token = alice.invite();
    bob.cli("join", token, "--name", "bob", "--no-up");
    bob.start();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (bob != null) {
        bob.close();
      }
    } finally {
      if (alice != null) {
        alice.close();
      }
    }
  }

  @Test
  void gitCloneOnOneDeviceCommitsOnTheOtherFsckCleanOnBoth() throws Exception {
    Path origin = dir.resolve("origin");
    Files.createDirectories(origin);
    Shell.sh(
        origin,
        """
        git init -q -b main .
        for i in $(seq 1 40); do echo "line $i" > "file$i.txt"; done
        mkdir -p src/deep && echo 'int main(){}' > src/deep/main.c
        git add -A && git -c user.name=t -c user.email=t@example.org commit -q -m first
        """);
    Shell.sh(alice.mountPoint(), "git clone -q " + origin + " repo");
    Path onBob = bob.mountPoint().resolve("repo");
    await(() -> Trees.identical(alice.mountPoint().resolve("repo"), onBob), "the clone on bob");
    Shell.sh(
        onBob,
        """
        echo "bob was here" >> file1.txt
        echo new > bob.txt
        git add -A && git -c user.name=bob -c user.email=b@example.org commit -q -m "from bob"
        git -c user.name=bob -c user.email=b@example.org commit -q --allow-empty -m "again"
        """);
    Path onAlice = alice.mountPoint().resolve("repo");
    await(() -> Trees.identical(onBob, onAlice), "bob's commits on alice");
    for (Path repo : new Path[] {onAlice, onBob}) {
      Shell.sh(repo, "git fsck --strict --no-progress");
      assertEquals("3", Shell.sh(repo, "git rev-list --count HEAD").strip());
      assertEquals("", Shell.sh(repo, "git status --porcelain").strip(), "clean work tree");
    }
  }

  @Test
  void rsyncOfFiveThousandFilesArrivesIdentical() throws Exception {
    Path source = dir.resolve("tree");
    Shell.python(
        dir,
        """
        import os, random
        random.seed(5)
        for d in range(50):
            os.makedirs('tree/d%02d' % d, exist_ok=True)
            for f in range(100):
                with open('tree/d%02d/f%03d.txt' % (d, f), 'wb') as out:
                    out.write(os.urandom(random.randint(0, 4000)))
        """);
    long start = System.nanoTime();
    Shell.sh(dir, "rsync -a " + source + "/ " + alice.mountPoint().resolve("tree") + "/");
    long rsyncMs = (System.nanoTime() - start) / 1_000_000;
    Path copy = bob.mountPoint().resolve("tree");
    await(() -> Trees.identical(source, copy), "the rsynced tree on bob");
    System.out.printf(
        "rsync of 5,000 files into the mount: %d ms; identical on bob after %d ms%n",
        rsyncMs, (System.nanoTime() - start) / 1_000_000);
  }

  @Test
  void aLibreOfficeStyleSessionKeepsTheDocumentReadOnlyElsewhere() throws Exception {
    Path a = alice.mountPoint();
    Path b = bob.mountPoint();
    Shell.python(a, "open('report.odt','w').write('v1')");
    await(() -> Files.exists(b.resolve("report.odt")), "report.odt on bob");
    Process office =
        new ProcessBuilder(
                "python3",
                "-c",
                """
                import os, sys
                # opening the document: the lock file, created exclusively
                fd = os.open('.~lock.report.odt#', os.O_CREAT | os.O_EXCL | os.O_WRONLY)
                os.write(fd, b',alice,host,01.01.2026 10:00,alice;'); os.close(fd)
                print('editing', flush=True)
                sys.stdin.readline()
                # saving: a temporary file renamed over the document, then reopened and synced
                with open('lu12345.tmp', 'w') as f:
                    f.write('v2 from the session')
                os.rename('lu12345.tmp', 'report.odt')
                fd = os.open('report.odt', os.O_RDWR); os.fsync(fd); os.close(fd)
                print('saved', flush=True)
                sys.stdin.readline()
                os.unlink('.~lock.report.odt#')
                """)
            .directory(a.toFile())
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(office.getInputStream()));
      assertEquals("editing", out.readLine());
      await(() -> Files.exists(b.resolve(".~lock.report.odt#")), "the lock file shows on bob");
      String refused =
          Shell.python(
              b,
              """
              import errno
              try:
                  open('report.odt', 'r+'); print('writable')
              except OSError as e:
                  print(errno.errorcode[e.errno])
              """);
      assertEquals("EACCES", refused.strip(), "read-only on bob during the session");
      office.getOutputStream().write('\n');
      office.getOutputStream().flush();
      assertEquals("saved", out.readLine());
      await(() -> "v2 from the session".equals(read(b.resolve("report.odt"))), "the save on bob");
      assertEquals(
          "EACCES",
          Shell.python(
                  b,
                  "import errno\ntry:\n    open('report.odt','r+'); print('writable')\nexcept OSError as e:\n    print(errno.errorcode[e.errno])")
              .strip(),
          "still read-only");
    } finally {
      office.getOutputStream().close();
      office.waitFor();
    }
    await(() -> !Files.exists(b.resolve(".~lock.report.odt#")), "the lock file goes");
    await(
        () -> {
          try {
            return Shell.run(
                        b,
                        java.util.List.of("python3", "-c", "open('report.odt','r+').write('v3')"))
                    .exit()
                == 0;
          } catch (Exception e) {
            return false;
          }
        },
        "bob can write once alice's session ended");
  }

  @Test
  void aOneGibFileCopiedOnOneDeviceComparesEqualOnTheOther() throws Exception {
    Path big = dir.resolve("big.bin");
    Shell.sh(dir, "head -c 1073741824 /dev/urandom > big.bin");
    long start = System.nanoTime();
    Shell.sh(dir, "cp big.bin " + alice.mountPoint().resolve("big.bin"));
    long copyMs = (System.nanoTime() - start) / 1_000_000;
    Path onBob = bob.mountPoint().resolve("big.bin");
    await(() -> sizeOf(onBob) == (1L << 30), "the 1 GiB file on bob");
    long syncedMs = (System.nanoTime() - start) / 1_000_000;
    Shell.sh(dir, "cmp big.bin " + onBob);
    System.out.printf(
        "cp of 1 GiB into the mount: %d ms; on bob after %d ms; cmp equal%n", copyMs, syncedMs);
    Files.delete(big);
  }

  private static long sizeOf(Path path) {
    try {
      return Files.size(path);
    } catch (java.io.IOException e) {
      return -1;
    }
  }

  private static String read(Path path) {
    try {
      return Files.readString(path);
    } catch (java.io.IOException e) {
      return null;
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    Eventually.await(condition, Duration.ofSeconds(120), Duration.ofMillis(200), what);
  }
}
