package org.gossipdrive.tests.drive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Every file operation through a real FUSE mount, from child processes (Python for the syscalls,
 * coreutils for the rest), errno cases included.
 */
class DriveOperationsTest extends MountedDriveTest {
  @Test
  void directoriesAndErrnos(TestInfo test) throws Exception {
    Shell.python(
        workspace(test),
        """
        import errno, os
        def fails(code, f, *a):
            try:
                f(*a)
            except OSError as e:
                assert e.errno == code, (f.__name__, a, errno.errorcode[e.errno])
                return
            raise AssertionError(f"{f.__name__}{a} did not fail")
        os.mkdir("d", 0o750)
        assert oct(os.stat("d").st_mode & 0o777) == "0o750"
        fails(errno.EEXIST, os.mkdir, "d")
        fails(errno.ENOENT, os.mkdir, "missing/child")
        open("f", "w").close()
        fails(errno.ENOTDIR, os.mkdir, "f/child")
        fails(errno.ENOTDIR, os.rmdir, "f")
        fails(errno.EISDIR, os.unlink, "d")
        open("d/inside", "w").close()
        fails(errno.ENOTEMPTY, os.rmdir, "d")
        fails(errno.ENOENT, os.stat, "nothing")
        fails(errno.ENOENT, os.unlink, "nothing")
        fails(errno.ENOENT, os.rename, "nothing", "x")
        fails(errno.ENAMETOOLONG, os.mkdir, "n" * 300)
        fails(errno.EPERM, os.link, "f", "hardlink")
        os.unlink("d/inside")
        os.rmdir("d")
        assert sorted(os.listdir(".")) == ["f"], os.listdir(".")
        """);
  }

  @Test
  void readWriteTruncateAtOffsets(TestInfo test) throws Exception {
    Shell.python(
        workspace(test),
        """
        import os
        fd = os.open("f", os.O_CREAT | os.O_RDWR, 0o644)
        assert os.pwrite(fd, b"world", 6) == 5
        assert os.pwrite(fd, b"hello", 0) == 5
        assert os.pread(fd, 100, 0) == b"hello\\0world", os.pread(fd, 100, 0)
        assert os.fstat(fd).st_size == 11
        assert os.pread(fd, 10, 50) == b""          # past the end: 0 bytes
        os.ftruncate(fd, 3)
        assert os.pread(fd, 100, 0) == b"hel"
        os.ftruncate(fd, 6)                          # growing again reads zeros
        assert os.pread(fd, 100, 0) == b"hel\\0\\0\\0"
        os.close(fd)
        assert open("f", "rb").read() == b"hel\\0\\0\\0"
        os.truncate("f", 1)
        assert open("f", "rb").read() == b"h"
        assert os.stat("f").st_size == 1
        big = os.urandom(5 << 20)                    # past the in-memory staging limit
        with open("big", "wb") as out:
            out.write(big)
        with open("big", "r+b") as f:
            f.seek(3 << 20); f.write(b"X" * 10)
        edited = big[:3 << 20] + b"X" * 10 + big[(3 << 20) + 10:]
        assert open("big", "rb").read() == edited
        """);
  }

  @Test
  void editsKeepUnchangedChunksAndChunkLikeAFreshWrite(TestInfo test) throws Exception {
    Path place = workspace(test);
    Shell.python(
        place,
        """
        import os, random
        r = random.Random(5)
        data = bytearray(r.randbytes(24 << 20))
        open("edited", "wb").write(data)
        with open("edited", "r+b") as f:          # an edit near the end, then an append
            f.seek(20 << 20); f.write(b"E" * 1000)
            f.seek(0, 2); f.write(b"tail")
        data[20 << 20:(20 << 20) + 1000] = b"E" * 1000
        data += b"tail"
        with open("fresh", "wb") as f:              # the same bytes written in one go
            f.write(data)
        assert open("edited", "rb").read() == bytes(data)
        with open("backwards", "wb") as f:          # in order, then back: the stream is abandoned
            f.write(data[:3 << 20]); f.seek(100); f.write(b"B" * 10); f.seek(3 << 20); f.write(b"end")
        expected = data[:100] + b"B" * 10 + data[110:3 << 20] + b"end"
        assert open("backwards", "rb").read() == expected
        """);
    String name = test.getTestMethod().orElseThrow().getName();
    var edited = drive.replica.resolve(name + "/edited").orElseThrow();
    var fresh = drive.replica.resolve(name + "/fresh").orElseThrow();
    assertEquals(fresh.chunks(), edited.chunks(), "an edited file is chunked as if written anew");
    var history = drive.replica.history(edited.id());
    var first =
        history.stream().filter(v -> v.version().size() == 24 << 20).findFirst().orElseThrow();
    assertEquals(
        first.version().chunks().subList(0, 10),
        edited.chunks().subList(0, 10),
        "the chunks before the edit are the same chunks");
  }

  @Test
  void sizeAndMtimeAreRightWhileWriting(TestInfo test) throws Exception {
    Shell.python(
        workspace(test),
        """
        import os, time
        fd = os.open("f", os.O_CREAT | os.O_WRONLY, 0o644)
        os.write(fd, b"x" * 1000)
        assert os.stat("f").st_size == 1000, os.stat("f").st_size
        before = os.stat("f").st_mtime
        time.sleep(0.05)
        os.write(fd, b"y" * 24)
        assert os.fstat(fd).st_size == 1024
        assert os.stat("f").st_mtime >= before
        os.utime("f", (1000000000, 1000000000))
        os.close(fd)
        assert os.stat("f").st_mtime == 1000000000, os.stat("f").st_mtime
        """);
  }

  @Test
  void exclusiveCreateIsAtomic(TestInfo test) throws Exception {
    Path place = workspace(test);
    // Eight processes race for the same lock file many times: exactly one wins each round.
    String racer =
        """
        import os, sys
        wins = 0
        for i in range(200):
            try:
                fd = os.open(f"lock{i}", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
                os.close(fd); wins += 1
            except FileExistsError:
                pass
        print(wins)
        """;
    var processes = new java.util.ArrayList<Process>();
    for (int i = 0; i < 8; i++) {
      processes.add(new ProcessBuilder("python3", "-c", racer).directory(place.toFile()).start());
    }
    int total = 0;
    for (Process p : processes) {
      total += Integer.parseInt(new String(p.getInputStream().readAllBytes()).strip());
      assertEquals(0, p.waitFor());
    }
    assertEquals(200, total);
  }

  @Test
  void renames(TestInfo test) throws Exception {
    Shell.python(
        workspace(test),
        """
        import errno, os
        open("a", "w").write("A")
        open("b", "w").write("B")
        os.rename("a", "b")                          # over an existing file
        assert open("b").read() == "A" and not os.path.exists("a")
        os.mkdir("d1"); os.mkdir("d2")
        os.rename("d1", "d2")                        # over an empty directory
        assert os.path.isdir("d2") and not os.path.exists("d1")
        os.mkdir("full"); open("full/x", "w").close()
        os.mkdir("d3")
        try:
            os.rename("d3", "full"); raise AssertionError("renamed over a non-empty directory")
        except OSError as e:
            assert e.errno == errno.ENOTEMPTY, e
        try:
            os.rename("b", "d2"); raise AssertionError("renamed a file over a directory")
        except OSError as e:
            assert e.errno == errno.EISDIR, e
        try:
            os.rename("d3", "b"); raise AssertionError("renamed a directory over a file")
        except OSError as e:
            assert e.errno == errno.ENOTDIR, e
        try:
            os.rename("full", "full/x2"); raise AssertionError("moved a directory into itself")
        except OSError as e:
            assert e.errno == errno.EINVAL, e
        os.rename("b", "full/b")                     # move across directories
        os.chmod("full/b", 0o600)                    # chmod and chown after a rename
        os.chown("full/b", -1, os.getgid())
        assert oct(os.stat("full/b").st_mode & 0o777) == "0o600"
        os.rename("b" if os.path.exists("b") else "full/b", "full/b")   # onto itself: no-op
        assert open("full/b").read() == "A"
        """);
  }

  @Test
  void unlinkedOpenFileStaysUsable(TestInfo test) throws Exception {
    Shell.python(
        workspace(test),
        """
        import os
        with open("f", "wb") as f:
            f.write(b"keep me")
        fd = os.open("f", os.O_RDWR)
        os.unlink("f")
        assert not os.path.exists("f")
        assert os.pread(fd, 100, 0) == b"keep me"
        os.pwrite(fd, b"KEEP", 0)
        assert os.pread(fd, 100, 0) == b"KEEP me"
        assert os.fstat(fd).st_size == 7
        os.close(fd)
        assert os.listdir(".") == []
        """);
  }

  @Test
  void symlinksModesTimesStatfs(TestInfo test) throws Exception {
    Shell.python(
        workspace(test),
        """
        import os
        open("target", "w").write("T")
        os.symlink("target", "link")
        assert os.readlink("link") == "target"
        assert open("link").read() == "T"
        assert os.path.islink("link")
        os.symlink("dangling/nowhere", "dangling")
        assert os.readlink("dangling") == "dangling/nowhere"
        os.chmod("target", 0o751)
        assert oct(os.stat("target").st_mode & 0o7777) == "0o751"
        os.utime("target", ns=(0, 1234567890123456789))
        assert os.stat("target").st_mtime_ns == 1234567890123456789, os.stat("target").st_mtime_ns
        s = os.statvfs(".")
        assert s.f_blocks > 0 and s.f_bavail > 0 and s.f_namemax == 255
        """);
  }

  @Test
  void anOverwriteIsOneVersion(TestInfo test) throws Exception {
    Path place = workspace(test);
    Shell.python(place, "open('f', 'w').write('first')");
    var id =
        drive
            .replica
            .resolve(test.getTestMethod().orElseThrow().getName() + "/f")
            .orElseThrow()
            .id();
    int before = drive.replica.history(id).size();
    Shell.python(place, "open('f', 'w').write('second, longer')");
    assertEquals(before + 1, drive.replica.history(id).size(), "O_TRUNC + write + close");
    assertEquals("second, longer", Files.readString(place.resolve("f")));
    Shell.python(place, "open('f', 'w').close()");
    assertEquals("", Files.readString(place.resolve("f")), "truncated by an open alone");
  }

  @Test
  void theLockAttributeNamesTheHolderWhileAProcessHoldsTheFile(TestInfo test) throws Exception {
    Path place = workspace(test);
    Shell.python(
        place,
        """
        import errno, os, time
        open('doc', 'w').write('x')
        def holder():
            try:
                return os.getxattr('doc', 'user.gossipdrive.lock').decode()
            except OSError as e:
                return errno.errorcode[e.errno]
        assert holder() == 'ENODATA', holder()
        f = open('doc', 'r+')
        assert holder().startswith('test since '), holder()
        assert 'user.gossipdrive.lock' not in os.listxattr('doc')
        try:
            os.setxattr('doc', 'user.gossipdrive.lock', b'me'); raise AssertionError()
        except OSError as e:
            assert e.errno == errno.EPERM, e
        f.close()
        assert holder().startswith('test since '), 'held until the process exits'
        """);
    // the python process has exited: its lock goes within a check interval
    long deadline = System.nanoTime() + 5_000_000_000L;
    String after;
    do {
      Thread.sleep(50);
      after =
          Shell.python(
              place,
              "import os\n"
                  + "try:\n    print(os.getxattr('doc', 'user.gossipdrive.lock'))\n"
                  + "except OSError:\n    print('free')");
    } while (!after.contains("free") && System.nanoTime() < deadline);
    assertTrue(after.contains("free"), after);
  }

  @Test
  void aShellRedirectionDoesNotLockTheFileForTheSession(TestInfo test) throws Exception {
    Path place = workspace(test);
    Shell.python(place, "open('notes.txt', 'w').write('first line\\n')");
    String out =
        Shell.sh(
            place,
            """
            echo "second line" >> notes.txt
            sleep 1
            python3 -c "import os
            try:
                print(os.getxattr('notes.txt', 'user.gossipdrive.lock'))
            except OSError:
                print('free while the shell lives')"
            """);
    assertTrue(out.contains("free while the shell lives"), out);
    assertEquals("first line\nsecond line\n", Files.readString(place.resolve("notes.txt")));
  }

  @Test
  void userExtendedAttributesAreVersioned(TestInfo test) throws Exception {
    Path place = workspace(test);
    Shell.python(
        place,
        """
        import errno, os
        open("f", "w").write("x")
        os.setxattr("f", "user.color", b"blue")
        assert os.getxattr("f", "user.color") == b"blue"
        assert os.listxattr("f") == ["user.color"]
        try:
            os.setxattr("f", "user.color", b"red", os.XATTR_CREATE); raise AssertionError()
        except OSError as e:
            assert e.errno == errno.EEXIST
        try:
            os.setxattr("f", "user.none", b"v", os.XATTR_REPLACE); raise AssertionError()
        except OSError as e:
            assert e.errno == errno.ENODATA
        try:
            os.setxattr("f", "trusted.x", b"v"); raise AssertionError()
        except OSError as e:
            assert e.errno in (errno.ENOTSUP, errno.EPERM), e
        os.setxattr("f", "user.color", b"red")
        os.removexattr("f", "user.color")
        assert os.listxattr("f") == []
        os.setxattr("f", "user.kept", b"1")
        """);
    var version =
        drive.replica.resolve(test.getTestMethod().orElseThrow().getName() + "/f").orElseThrow();
    assertTrue(version.xattrs().containsKey("user.kept"));
    // The file with its content (one version, ADR 30), then four xattr changes.
    assertTrue(drive.replica.history(version.id()).size() >= 5, "each xattr change is a version");
  }

  @Test
  void advisoryLocksWorkAcrossProcesses(TestInfo test) throws Exception {
    Path place = workspace(test);
    Shell.python(place, "open('db', 'w').write('x')");
    // A holder takes fcntl and flock locks, then a second process must see both as taken.
    Process holder =
        new ProcessBuilder(
                "python3",
                "-c",
                """
                import fcntl, sys, time
                f = open("db", "r+"); g = open("db", "r")
                fcntl.lockf(f, fcntl.LOCK_EX)
                fcntl.flock(g, fcntl.LOCK_EX)
                print("locked", flush=True)
                sys.stdin.read()
                """)
            .directory(place.toFile())
            .start();
    try {
      assertEquals(
          "locked",
          new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream()))
              .readLine());
      Shell.python(
          place,
          """
          import errno, fcntl
          f = open("db", "r+")
          try:
              fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB); raise AssertionError("fcntl lock granted twice")
          except OSError as e:
              assert e.errno in (errno.EAGAIN, errno.EACCES), e
          try:
              fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB); raise AssertionError("flock granted twice")
          except OSError as e:
              assert e.errno == errno.EWOULDBLOCK, e
          """);
    } finally {
      holder.getOutputStream().close();
      holder.waitFor();
    }
    Shell.python(
        place,
        """
        import fcntl
        f = open("db", "r+")
        fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        """);
  }

  @Test
  void writesSurviveRemount(TestInfo test) throws Exception {
    Path place = workspace(test);
    Shell.sh(place, "head -c 3000000 /dev/urandom > data && sha256sum data > sums && mkdir -p e/f");
    String sums = Files.readString(place.resolve("sums"));
    drive.remount();
    assertEquals(
        sums + sums,
        Shell.sh(place, "cat sums && sha256sum -c sums >/dev/null && test -d e/f && cat sums"));
  }
}
