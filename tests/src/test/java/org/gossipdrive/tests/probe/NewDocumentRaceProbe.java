package org.gossipdrive.tests.probe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gossipdrive.tests.drive.DaemonProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measurement, not part of the suite: alice and bob each save a new document of the same name at
 * the same moment, Blender-style, 30 times; counts saves found in no file afterwards.
 */
class NewDocumentRaceProbe {
  @TempDir Path dir;

  private static final String SAVE =
      """
      import os, sys, time
      name, who, start = sys.argv[1], sys.argv[2], float(sys.argv[3])
      while time.time() < start:
          time.sleep(0.001)
      exists = os.path.exists(name)
      with open(name + '@', 'wb') as f:
          f.write(('%s saved %s' % (who, name)).encode())
      try:
          if exists:
              os.rename(name, name + '1')
          os.rename(name + '@', name)
          print('FINISHED')
      except OSError as e:
          print('ERROR', e)
      """;

  @Test
  void probe() throws Exception {
    try (DaemonProcess alice = new DaemonProcess(dir.resolve("alice"), dir.resolve("alice-mnt"));
        DaemonProcess bob = new DaemonProcess(dir.resolve("bob"), dir.resolve("bob-mnt"))) {
      alice.cli("init", "--name", "alice");
      alice.start();
      bob.cli("join", alice.invite(), "--name", "bob", "--no-up");
      bob.start();
      Thread.sleep(3000);
      List<String> lost = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        String name = "doc" + i + ".blend";
        double start = System.currentTimeMillis() / 1000.0 + 0.5 + (i % 5) * 0.01;
        List<Process> saves = new ArrayList<>();
        for (var device : List.of(alice, bob)) {
          String who = device == alice ? "alice" : "bob";
          saves.add(
              new ProcessBuilder(
                      "python3",
                      "-c",
                      SAVE,
                      name,
                      who,
                      Double.toString(start + (who.equals("bob") ? (i % 7) * 0.02 : 0)))
                  .directory(device.mountPoint().toFile())
                  .redirectErrorStream(true)
                  .start());
        }
        List<String> outcomes = new ArrayList<>();
        for (Process p : saves) {
          outcomes.add(new String(p.getInputStream().readAllBytes()).strip());
          p.waitFor();
        }
        Thread.sleep(6000);
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(alice.mountPoint())) {
          for (Path f : files.toList()) {
            if (Files.isRegularFile(f)) {
              all.append(f.getFileName()).append('=').append(Files.readString(f)).append("; ");
            }
          }
        }
        for (String who : List.of("alice", "bob")) {
          int index = who.equals("alice") ? 0 : 1;
          if (outcomes.get(index).startsWith("FINISHED")
              && !all.toString().contains(who + " saved " + name)) {
            lost.add(name + " " + who + " outcomes " + outcomes);
          }
        }
      }
      System.out.println("LOST " + lost.size() + " " + lost);
      System.out.println(alice.cli("history", alice.mountPoint().resolve("doc0.blend").toString()));
    }
  }
}
