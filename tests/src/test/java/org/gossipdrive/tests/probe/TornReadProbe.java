package org.gossipdrive.tests.probe;

import java.nio.file.Path;
import org.gossipdrive.tests.drive.DaemonProcess;
import org.gossipdrive.tests.drive.Shell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measurement, not part of the suite (its name does not end in Test): alice saves a file
 * Blender-style every 0 to 0.3 s for a minute while bob stats, opens and reads it in a loop, and
 * counts reads that come back cut, padded or sized unlike their content. Run it with {@code mvn -pl
 * tests surefire:test -Dtest=TornReadProbe}; figures in docs/drive.md.
 */
class TornReadProbe {
  @TempDir Path dir;

  @Test
  void probe() throws Exception {
    try (DaemonProcess alice = new DaemonProcess(dir.resolve("alice"), dir.resolve("alice-mnt"));
        DaemonProcess bob = new DaemonProcess(dir.resolve("bob"), dir.resolve("bob-mnt"))) {
      alice.cli("init", "--name", "alice");
      alice.start();
      bob.cli("join", alice.invite(), "--name", "bob", "--no-up");
      bob.start();
      Thread.sleep(3000);
      Process writer =
          new ProcessBuilder(
                  "python3",
                  "-c",
                  """
                  import os, random, time
                  r = random.Random(1)
                  for i in range(300):
                      n = r.randint(10000, 600000)
                      data = b'%08d' % n + bytes([i % 251]) * (n - 8)
                      with open('race.blend@', 'wb') as f:
                          f.write(data)
                      if os.path.exists('race.blend'):
                          os.rename('race.blend', 'race.blend1')
                      os.rename('race.blend@', 'race.blend')
                      time.sleep(r.random() * 0.3)
                  """)
              .directory(alice.mountPoint().toFile())
              .inheritIO()
              .start();
      String out =
          Shell.python(
              bob.mountPoint(),
              """
              import os, time
              torn = ok = 0
              end = time.time() + 60
              while time.time() < end:
                  try:
                      st = os.stat('race.blend').st_size
                      with open('race.blend', 'rb') as f:
                          size = os.lseek(f.fileno(), 0, os.SEEK_END)
                          os.lseek(f.fileno(), 0, os.SEEK_SET)
                          data = f.read()
                  except FileNotFoundError:
                      continue
                  if len(data) < 8 or int(data[:8]) != len(data) or size != len(data):
                      torn += 1
                      print('TORN', len(data), data[:8], size, st, flush=True)
                  else:
                      ok += 1
              print('ok', ok, 'torn', torn)
              """);
      System.out.println(out);
      writer.destroy();
    }
  }
}
