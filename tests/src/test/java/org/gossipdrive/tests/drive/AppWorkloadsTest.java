package org.gossipdrive.tests.drive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Real applications' ways of saving, replayed as their syscall sequences, and real tools (git,
 * sqlite, tar, mmap) on the mounted drive.
 */
class AppWorkloadsTest extends MountedDriveTest {
  @Test
  void blenderSave(TestInfo test) throws Exception {
    Shell.python(
        workspace(test),
        """
        import os
        open("X.blend", "wb").write(b"v1" * 50000)
        for version in (b"v2", b"v3"):
            fd = os.open("X.blend@", os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o644)
            os.write(fd, version * 60000)
            os.close(fd)                                  # no fsync
            if os.path.exists("X.blend1"):
                os.unlink("X.blend1")
            os.rename("X.blend", "X.blend1")
            os.rename("X.blend@", "X.blend")
        assert open("X.blend", "rb").read() == b"v3" * 60000
        assert open("X.blend1", "rb").read() == b"v2" * 60000
        assert sorted(os.listdir(".")) == ["X.blend", "X.blend1"], os.listdir(".")
        """);
  }

  @Test
  void libreOfficeSave(TestInfo test) throws Exception {
    Shell.python(
        workspace(test),
        """
        import errno, os
        open("X.odt", "wb").write(b"old")
        lock = os.open(".~lock.X.odt#", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        os.write(lock, b"user,host,,22.11.2026 10:00,file:///home/user;")
        os.close(lock)
        try:
            os.open(".~lock.X.odt#", os.O_CREAT | os.O_EXCL | os.O_WRONLY); raise AssertionError()
        except OSError as e:
            assert e.errno == errno.EEXIST
        tmp = os.open("lu12345.tmp", os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o644)
        os.write(tmp, b"new content " * 1000)
        os.close(tmp)
        os.rename("lu12345.tmp", "X.odt")
        fd = os.open("X.odt", os.O_RDWR)
        os.fsync(fd)
        os.close(fd)
        os.unlink(".~lock.X.odt#")
        assert open("X.odt", "rb").read() == b"new content " * 1000
        assert os.listdir(".") == ["X.odt"], os.listdir(".")
        """);
  }

  @Test
  void officeSave(TestInfo test) throws Exception {
    Shell.python(
        workspace(test),
        """
        import os
        open("X.docx", "wb").write(b"first")
        open("~$X.docx", "wb").write(b"owner")
        open("~WRL0001.tmp", "wb").write(b"second" * 999)
        os.rename("X.docx", "~WRL0002.tmp")
        os.rename("~WRL0001.tmp", "X.docx")
        os.unlink("~WRL0002.tmp")
        os.unlink("~$X.docx")
        assert open("X.docx", "rb").read() == b"second" * 999
        assert os.listdir(".") == ["X.docx"], os.listdir(".")
        """);
  }

  @Test
  void inPlaceRewriteWithTruncate(TestInfo test) throws Exception {
    Shell.python(
        workspace(test),
        """
        import os
        open("notes.txt", "w").write("a long first version\\n" * 100)
        with open("notes.txt", "r+") as f:
            f.truncate(0)
            f.write("short")
        assert open("notes.txt").read() == "short"
        with open("notes.txt", "w") as f:                 # O_TRUNC
            f.write("again")
        assert open("notes.txt").read() == "again"
        """);
    String name = test.getTestMethod().orElseThrow().getName();
    assertEquals(5, drive.replica.resolve(name + "/notes.txt").orElseThrow().size());
  }

  @Test
  void git(TestInfo test) throws Exception {
    Path place = workspace(test);
    Shell.sh(
        place,
        """
        export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@e GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@e
        git init -q -b main repo && cd repo
        for i in $(seq 1 30); do echo "line $i" > "file$i.txt"; done
        mkdir -p src/deep && seq 1 5000 > src/deep/numbers
        git add -A && git commit -q -m first
        git checkout -q -b feature
        echo changed >> file1.txt && git mv file2.txt renamed.txt && git rm -q file3.txt
        git commit -q -am second
        git checkout -q main && git merge -q --no-edit feature
        git gc -q --aggressive
        git fsck --full --strict
        test "$(git log --oneline | wc -l)" = 2
        test "$(git status --porcelain)" = ""
        """);
    // The same repository, read back from the store after a remount.
    drive.remount();
    Shell.sh(
        place.resolve("repo"),
        "git fsck --full --strict && git log --oneline | wc -l | grep -qx 2");
  }

  @Test
  void sqliteWalWithConcurrentReader(TestInfo test) throws Exception {
    Path place = workspace(test);
    Shell.python(
        place,
        """
        import sqlite3
        db = sqlite3.connect("app.db")
        assert db.execute("pragma journal_mode=wal").fetchone()[0] == "wal"
        db.execute("create table t (id integer primary key, v text)")
        db.commit()
        """);
    Process reader =
        new ProcessBuilder(
                "python3",
                "-c",
                """
                import sqlite3, time
                db = sqlite3.connect("app.db", timeout=30)
                last = -1; reads = 0; deadline = time.time() + 300
                while time.time() < deadline:
                    n = db.execute("select count(*) from t").fetchone()[0]
                    assert n >= last, (n, last)          # never goes back in time
                    last = n; reads += 1
                    if n >= 3000: break
                    time.sleep(0.005)
                print(reads, last)
                """)
            .directory(place.toFile())
            .redirectErrorStream(true)
            .start();
    Shell.python(
        place,
        """
        import sqlite3
        db = sqlite3.connect("app.db", timeout=30)
        db.execute("pragma journal_mode=wal")
        for i in range(3000):
            db.execute("insert into t (v) values (?)", (f"row {i}" * 3,))
            db.commit()
        assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
        db.execute("pragma wal_checkpoint(truncate)")
        db.close()
        """);
    assertTrue(reader.waitFor(5, TimeUnit.MINUTES));
    String seen = new String(reader.getInputStream().readAllBytes()).strip();
    assertEquals(0, reader.exitValue(), seen);
    assertTrue(seen.endsWith(" 3000"), seen);
    Shell.python(
        place,
        """
        import sqlite3
        db = sqlite3.connect("app.db")
        assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert db.execute("select count(*) from t").fetchone()[0] == 3000
        """);
  }

  @Test
  void tarOfTenThousandEntries(TestInfo test) throws Exception {
    Path source = dir.resolve("tar-source");
    Shell.python(
        Files.createDirectories(source),
        """
        import os, random
        r = random.Random(7)
        for d in range(100):
            os.makedirs(f"d{d:03}/sub", exist_ok=True)
            for f in range(98):
                with open(f"d{d:03}/{'sub/' if f % 3 == 0 else ''}f{f:02}", "wb") as out:
                    out.write(r.randbytes(r.randint(0, 3000)))
            os.symlink(f"f01", f"d{d:03}/link")
        """);
    Path archive = dir.resolve("tree.tar");
    Shell.ok(source, "tar", "cf", archive.toString(), ".");
    Path place = workspace(test);
    Shell.ok(place, "tar", "xf", archive.toString());
    Shell.ok(dir, "diff", "-r", "--no-dereference", source.toString(), place.toString());
    String count = Shell.sh(place, "find . | wc -l").strip();
    assertTrue(Integer.parseInt(count) >= 10_000, count);
  }

  @Test
  void mmapBothWays(TestInfo test) throws Exception {
    Path place = workspace(test);
    // Blender's way: map the whole file read-only and private, close the descriptor, then read.
    Shell.python(
        place,
        """
        import mmap, os
        data = os.urandom(3 << 20)
        open("scene.blend", "wb").write(data)
        fd = os.open("scene.blend", os.O_RDONLY)
        m = mmap.mmap(fd, 0, mmap.MAP_PRIVATE, mmap.PROT_READ)
        os.close(fd)
        assert m[:] == data
        m.close()
        """);
    // sqlite's -shm way: write through a shared writable mapping, msync, close.
    Shell.python(
        place,
        """
        import mmap, os
        fd = os.open("shared.shm", os.O_CREAT | os.O_RDWR, 0o644)
        os.ftruncate(fd, 65536)
        m = mmap.mmap(fd, 65536, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
        m[100:105] = b"hello"
        m[60000:60003] = b"end"
        m.flush()
        assert os.pread(fd, 5, 100) == b"hello"
        m.close(); os.close(fd)
        """);
    drive.remount();
    Shell.python(
        place,
        """
        data = open("shared.shm", "rb").read()
        assert len(data) == 65536 and data[100:105] == b"hello" and data[60000:60003] == b"end"
        """);
  }
}
