package org.gossipdrive.tests.drive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.gossipdrive.fs.fuse.DriveMount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drive mounted through the fallback binding, jnr-fuse (libfuse 2), for systems without libfuse
 * 3 (ADR 27): the everyday operations through a real mount, an unlinked open file, and content
 * surviving a remount. Every other drive test runs on the default binding.
 */
class FallbackMountTest {
  @TempDir Path dir;

  @Test
  void everydayOperationsWorkThroughLibfuse2() throws Exception {
    byte[] big = new byte[9 << 20];
    new Random(3).nextBytes(big);
    try (MountedReplica drive = new MountedReplica(dir, DriveMount.Binding.JNR_FUSE)) {
      Path m = drive.mountPoint;
      Shell.python(
          m,
          """
          import os
          os.mkdir('docs')
          open('docs/a.txt', 'w').write('alpha')
          os.rename('docs/a.txt', 'docs/b.txt')
          os.symlink('docs/b.txt', 'link')
          assert open('link').read() == 'alpha'
          with open('t.bin', 'wb') as f:
              f.write(b'x' * 100)
          os.truncate('t.bin', 10)
          assert os.path.getsize('t.bin') == 10
          os.setxattr('docs/b.txt', 'user.tag', b'blue')
          assert os.getxattr('docs/b.txt', 'user.tag') == b'blue'
          f = open('gone.txt', 'w+')
          f.write('still here')
          f.flush()
          os.unlink('gone.txt')
          f.seek(0)
          assert f.read() == 'still here', 'an unlinked open file stays readable'
          assert not os.path.exists('gone.txt')
          f.close()
          try:
              os.mknod('fifo', 0o10644)
              raise SystemExit('a FIFO was made')
          except OSError:
              pass
          """);
      Files.write(m.resolve("big.bin"), big);
      assertArrayEquals(big, Files.readAllBytes(m.resolve("big.bin")));
      try (var names = Files.list(m)) {
        List<String> listed = names.map(p -> p.getFileName().toString()).sorted().toList();
        assertEquals(List.of("big.bin", "docs", "link", "t.bin"), listed);
      }
      assertTrue(
          drive.replica.list(org.gossipdrive.engine.tree.FileId.ROOT).stream()
              .filter(v -> !v.deleted())
              .noneMatch(v -> v.name().startsWith(".fuse_hidden")),
          "a hidden name never reaches the tree");
      drive.remount();
      assertArrayEquals(big, Files.readAllBytes(m.resolve("big.bin")));
      assertEquals("alpha", Files.readString(m.resolve("docs/b.txt")));
      assertFalse(Files.exists(m.resolve("gone.txt")));
    }
  }
}
