package org.gossipdrive.tests.drive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Blender (Debian's {@code blender}), headless, saving one {@code .blend} on every device at
 * the same moment, round after round: every save Blender reports as FINISHED must survive, with its
 * object, in the document, a conflict copy or a backup, on every device; the trees end identical;
 * no save temporary ({@code race.blend@}) is left in the tree; the engine's audit finds no lost
 * edit on any device (issue 20).
 */
class RealBlenderSavesTest {
  private static final Pattern TEMPORARY = Pattern.compile(".*@|lu.*\\.tmp|~WR.*\\.tmp");

  @TempDir Path dir;
  private final List<DaemonProcess> devices = new ArrayList<>();

  @AfterEach
  void stopDevices() throws Exception {
    for (DaemonProcess device : devices.reversed()) {
      device.close();
    }
  }

  @Test
  void twoDevicesSavingAtOnceForTenRoundsLoseNoFinishedSave() throws Exception {
    race(List.of("alice", "bob"), 10);
  }

  @Test
  void threeDevicesSavingAtOnceForFiveRoundsLoseNoFinishedSave() throws Exception {
    race(List.of("alice", "bob", "carol"), 5);
  }

  private void race(List<String> names, int rounds) throws Exception {
    startDevices(names);
    Map<String, String> outcomes = new LinkedHashMap<>();
    List<String> loadRetries = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      List<Process> saves = new ArrayList<>();
      for (int d = 0; d < names.size(); d++) {
        String object = names.get(d).substring(0, 1).toUpperCase() + round;
        saves.add(blender(devices.get(d).mountPoint(), "save.py", "race.blend", object));
      }
      for (int d = 0; d < names.size(); d++) {
        String output = finish(saves.get(d));
        output.lines().filter(l -> l.startsWith("LOAD-RETRY ")).forEach(loadRetries::add);
        String object = names.get(d).substring(0, 1).toUpperCase() + round;
        String last =
            output
                .lines()
                .filter(l -> l.startsWith("SAVE " + object + " "))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("Blender printed no outcome:\n" + output));
        outcomes.put(object, last.substring(("SAVE " + object + " ").length()));
      }
      awaitIdenticalTrees("round " + round + " " + outcomes);
    }
    System.out.println("Blender saves: " + outcomes);
    System.out.println("Blender load retries: " + loadRetries.size() + " " + loadRetries);

    Path first = devices.getFirst().mountPoint();
    Map<String, String> objectsByFile = objectsOfEveryFile(first);
    System.out.println("Files: " + objectsByFile);
    List<String> lost = new ArrayList<>();
    for (var outcome : outcomes.entrySet()) {
      if (outcome.getValue().equals("FINISHED")
          && objectsByFile.values().stream()
              .noneMatch(objects -> List.of(objects.split(" ")).contains(outcome.getKey()))) {
        lost.add(outcome.getKey());
      }
    }
    assertEquals(
        List.of(),
        lost,
        "saves Blender reported FINISHED found in no file; files: "
            + objectsByFile
            + "; outcomes: "
            + outcomes);
    for (String file : objectsByFile.keySet()) {
      assertTrue(
          !TEMPORARY.matcher(file).matches(), "a save temporary is left in the tree: " + file);
    }
    LostWork.assertNone(devices.toArray(DaemonProcess[]::new));
  }

  private void startDevices(List<String> names) throws Exception {
    for (String name : names) {
      devices.add(new DaemonProcess(dir.resolve(name), dir.resolve(name + "-mnt")));
    }
    DaemonProcess alice = devices.getFirst();
    alice.cli("init", "--name", names.getFirst());
    alice.start();
    for (int d = 1; d < names.size(); d++) {
      devices.get(d).cli("join", alice.invite(), "--name", names.get(d), "--no-up");
      devices.get(d).start();
    }
    for (DaemonProcess device : devices) {
      Eventually.await(
          () -> count(status(device), "\"state\":\"reachable\"") == names.size() - 1,
          Duration.ofSeconds(60),
          "every peer online for " + device.mountPoint());
    }
  }

  private void awaitIdenticalTrees(String when) throws InterruptedException {
    Path first = devices.getFirst().mountPoint();
    for (DaemonProcess other : devices.subList(1, devices.size())) {
      Eventually.await(
          () -> Trees.identical(first, other.mountPoint()),
          Duration.ofSeconds(60),
          Duration.ofMillis(200),
          "identical trees after "
              + when
              + ": "
              + listing(first)
              + " / "
              + listing(other.mountPoint()));
    }
  }

  /** Every regular file of the drive's root, with the objects Blender finds in it. */
  private Map<String, String> objectsOfEveryFile(Path mount) throws Exception {
    List<String> files;
    try (var all = Files.list(mount)) {
      files =
          all.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
    }
    List<String> arguments = new ArrayList<>();
    arguments.add("-");
    arguments.addAll(files);
    String output = finish(blender(mount, "objects.py", arguments.toArray(String[]::new)));
    Map<String, String> objects = new TreeMap<>();
    for (String line : output.lines().toList()) {
      if (line.startsWith("OBJECTS ")) {
        String[] parts = line.substring(8).split("\t", 2);
        objects.put(parts[0], parts.length > 1 ? parts[1] : "");
      } else if (line.startsWith("UNREADABLE ")) {
        objects.put(line.substring(11), "(unreadable)");
      }
    }
    return objects;
  }

  /** Starts headless Blender on one of this test's scripts, in {@code directory}. */
  private Process blender(Path directory, String script, String... arguments)
      throws IOException, URISyntaxException {
    Path scriptFile = Path.of(getClass().getResource("/blender/" + script).toURI());
    List<String> command =
        new ArrayList<>(
            List.of("blender", "-b", "--factory-startup", "--python", scriptFile.toString(), "--"));
    for (String argument : arguments) {
      if (!argument.equals("-")) {
        command.add(argument);
      }
    }
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
    // Each device's Blender keeps its own settings and recent-files list.
    Path home = dir.resolve("blender-home-" + directory.getFileName());
    Files.createDirectories(home);
    builder.environment().put("HOME", home.toString());
    try {
      return builder.start();
    } catch (IOException e) {
      throw new AssertionError("Blender is a test dependency: apt-get install blender", e);
    }
  }

  private static String finish(Process process) throws IOException, InterruptedException {
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("Blender did not finish");
    }
    return new String(output, StandardCharsets.UTF_8);
  }

  private static String listing(Path mount) {
    try (var names = Files.list(mount)) {
      return names.map(p -> p.getFileName().toString()).sorted().toList().toString();
    } catch (IOException e) {
      return "(" + e + ")";
    }
  }

  private static String status(DaemonProcess device) {
    try {
      return device.api("GET", "/api/status").body();
    } catch (IOException | InterruptedException e) {
      return "";
    }
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
      n++;
    }
    return n;
  }
}
