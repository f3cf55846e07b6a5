package org.gossipdrive.tests.drive;

import static org.gossipdrive.tests.drive.Eventually.readOrNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Document locks between two daemons with real mounts, joined by a real invitation (docs/locks.md).
 * Apps are Python child processes: a lock belongs to the process that took it.
 */
class DriveLocksTest {
  private static final String LEASE = "PT10S";

  @TempDir Path dir;
  private DaemonProcess alice;
  private DaemonProcess bob;
  private TcpRelay relay;
  private TcpRelay bobRelay;
  private final List<Process> apps = new ArrayList<>();

  /**
   * Alice and bob, each advertising a relay the test can cut (the only way they reach each other),
   * joined by a real invitation.
   */
  @BeforeEach
  void startTwoDevices() throws Exception {
    int alicePort = freePort();
    int bobPort = freePort();
    alice =
        new DaemonProcess(dir.resolve("alice"), dir.resolve("alice-mnt"), "127.0.0.1:" + alicePort);
    bob = new DaemonProcess(dir.resolve("bob"), dir.resolve("bob-mnt"), "127.0.0.1:" + bobPort);
    relay = new TcpRelay(new java.net.InetSocketAddress("127.0.0.1", alicePort));
    bobRelay = new TcpRelay(new java.net.InetSocketAddress("127.0.0.1", bobPort));
    alice.cli("init", "--name", "alice");
    alice.start("--lock-lease", LEASE, "--advertise", relay.address());
    String token = alice.invite();
    bob.cli("join", token, "--name", "bob", "--no-up");
    bob.start("--lock-lease", LEASE, "--advertise", bobRelay.address());
    await(
        () ->
            status(alice).contains("\"state\":\"reachable\"")
                && status(bob).contains("\"state\":\"reachable\""),
        "alice and bob connected");
  }

  private static int freePort() throws java.io.IOException {
    try (var probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }

  /** A partition: neither device can reach the other any more. */
  private void cut() {
    relay.cut();
    bobRelay.cut();
  }

  private void heal() {
    relay.heal();
    bobRelay.heal();
  }

  @AfterEach
  void stopDevices() throws Exception {
    apps.forEach(Process::destroyForcibly);
    if (relay != null) {
      relay.close();
    }
    if (bobRelay != null) {
      bobRelay.close();
    }
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
  void aDocumentHeldOnOneDeviceIsReadOnlyOnTheOtherUntilReleased() throws Exception {
    Path a = alice.mountPoint();
    Path b = bob.mountPoint();
    Shell.python(a, "open('X.txt','w').write('version one')");
    await(() -> "version one".equals(readOrNull(b.resolve("X.txt"))), "X.txt on bob");

    App holder =
        app(
            a,
            "import sys\n"
                + "f = open('X.txt', 'r+')\n"
                + "print('held', flush=True)\n"
                + "sys.stdin.readline()\n"
                + "f.write('V')\n"
                + "f.close()\n");
    holder.expect("held");
    await(() -> lockedBy(bob, "/X.txt", "alice"), "bob sees alice's lock");

    String out =
        Shell.python(
            b,
            """
            import errno, os, time
            def code(call):
                try:
                    call()
                    return 'ok'
                except OSError as e:
                    return errno.errorcode[e.errno]
            open('other.txt', 'w').write('other')
            print('open', code(lambda: open('X.txt', 'r+')))
            print('rename', code(lambda: os.rename('other.txt', 'X.txt')))
            print('unlink', code(lambda: os.unlink('X.txt')))
            print('truncate', code(lambda: os.truncate('X.txt', 0)))
            print('chmod', code(lambda: os.chmod('X.txt', 0o600)))
            deadline = time.time() + 5
            while os.stat('X.txt').st_mode & 0o222 and time.time() < deadline:
                time.sleep(0.05)
            print('writebits', oct(os.stat('X.txt').st_mode & 0o222))
            print('holder', os.getxattr('X.txt', 'user.gossipdrive.lock').decode().split()[0])
            with open('X.txt@', 'w') as f:
                f.write('bob data is kept')
            print('companion', open('X.txt@').read())
            print('content', open('X.txt').read())
            """);
    assertTrue(out.contains("open EACCES"), out);
    assertTrue(out.contains("rename EACCES"), out);
    assertTrue(out.contains("unlink EACCES"), out);
    assertTrue(out.contains("truncate EACCES"), out);
    assertTrue(out.contains("chmod EACCES"), out);
    assertTrue(out.contains("writebits 0o0"), out);
    assertTrue(out.contains("holder alice"), out);
    assertTrue(out.contains("companion bob data is kept"), out);
    assertTrue(out.contains("content version one"), out);

    holder.finish();
    await(() -> !locked(bob, "/X.txt"), "the lock ends when alice's process exits");
    await(() -> "Version one".equals(readOrNull(b.resolve("X.txt"))), "alice's edit on bob");
    Shell.python(b, "f = open('X.txt', 'r+'); f.write('B'); f.close()");
    await(() -> "Bersion one".equals(readOrNull(a.resolve("X.txt"))), "bob's edit on alice");
  }

  @Test
  void blenderSavesReachTheOtherDeviceAsOneChange() throws Exception {
    Path a = alice.mountPoint();
    Path b = bob.mountPoint();
    Shell.python(a, "open('scene.blend','wb').write(b'first')");
    await(() -> Files.exists(b.resolve("scene.blend")), "scene.blend on bob");
    App watcher =
        app(
            b,
            """
            import os, time
            polls = missing = temporary = 0
            print('watching', flush=True)
            while not os.path.exists('stop-watching'):
                names = set(os.listdir('.'))
                polls += 1
                missing += 'scene.blend' not in names
                temporary += 'scene.blend@' in names
                time.sleep(0.001)
            print('polls', polls, 'missing', missing, 'temporary', temporary, flush=True)
            """);
    watcher.expect("watching");
    Shell.python(
        a,
        """
        import os
        for i in range(50):
            with open('scene.blend@', 'wb') as f:
                f.write(b'save %d ' % i * 2000)
            os.rename('scene.blend', 'scene.blend1')
            os.rename('scene.blend@', 'scene.blend')
        """);
    byte[] last = Files.readAllBytes(a.resolve("scene.blend"));
    await(
        () -> java.util.Arrays.equals(last, readBytesOrNull(b.resolve("scene.blend"))),
        "the last save on bob");
    Files.writeString(b.resolve("stop-watching"), "");
    String report = watcher.expect("polls");
    String[] words = report.split(" ");
    assertTrue(Integer.parseInt(words[1]) > 100, report);
    assertEquals("0", words[3], "scene.blend never missing on bob: " + report);
    assertEquals("0", words[5], "scene.blend@ never seen on bob: " + report);
    await(() -> sameTree(a, b), "identical trees");
  }

  @Test
  void aLockLastsAsLongAsTheProcessAndAVanishedDevicesLockAsItsLease() throws Exception {
    Path a = alice.mountPoint();
    Path b = bob.mountPoint();
    Shell.python(a, "open('L.blend','wb').write(b'v0')");
    await(() -> Files.exists(b.resolve("L.blend")), "L.blend on bob");
    App blender =
        app(
            a,
            """
            import os, sys
            for i in range(2):
                with open('L.blend@', 'wb') as f:
                    f.write(b'save %d' % i)
                os.rename('L.blend', 'L.blend1')
                os.rename('L.blend@', 'L.blend')
                print('saved', i, flush=True)
                sys.stdin.readline()
            """);
    blender.expect("saved 0");
    await(() -> lockedBy(bob, "/L.blend", "alice"), "bob sees the lock after one save");
    String refused =
        Shell.python(
            b,
            """
            import errno, os
            open('mine.tmp', 'w').write('bob')
            try:
                os.rename('mine.tmp', 'L.blend')
                print('renamed')
            except OSError as e:
                print(errno.errorcode[e.errno])
            """);
    assertTrue(refused.contains("EACCES"), refused);
    blender.send("");
    blender.expect("saved 1");
    Thread.sleep(500);
    assertTrue(lockedBy(bob, "/L.blend", "alice"), "still held between saves");
    blender.finish();
    await(() -> !locked(bob, "/L.blend"), "released when the process exits");

    // An explicit lock, then the holder's daemon dies without a word: the lease frees it.
    DaemonProcess.Answer taken = alice.api("POST", "/api/lock?path=/L.blend");
    assertEquals(200, taken.status(), taken.body());
    await(() -> lockedBy(bob, "/L.blend", "alice"), "bob sees the explicit lock");
    long killed = System.nanoTime();
    alice.kill();
    assertTrue(locked(bob, "/L.blend"), "the lock outlives its holder until the lease ends");
    await(() -> !locked(bob, "/L.blend"), "the lease of a killed holder expires");
    long freedMs = (System.nanoTime() - killed) / 1_000_000;
    assertTrue(freedMs < 10_000 + 3_000, "freed " + freedMs + " ms after SIGKILL, lease 10 s");
    readOrNull(b.resolve("L.blend"));
    Shell.python(b, "open('L.blend', 'wb').write(b'bob took over')");
    assertEquals("bob took over", readOrNull(b.resolve("L.blend")));
  }

  @Test
  void aSaveBasedOnAnOutdatedVersionIsKeptAsAConflictCopy() throws Exception {
    Path a = alice.mountPoint();
    Path b = bob.mountPoint();
    Shell.python(a, "open('S.txt','w').write('v1')");
    await(() -> "v1".equals(readOrNull(b.resolve("S.txt"))), "v1 on bob (bob's app read it)");
    Shell.python(a, "open('S.txt','w').write('version two by alice')");
    // Bob's app does not read again: only the size tells the new version arrived.
    await(() -> sizeOf(b.resolve("S.txt")) == "version two by alice".length(), "v2 on bob");
    // Alice's writer still held the lock when v2 arrived; bob saves once it is gone (a save
    // during the lock is refused, which another test shows). The kernel had cached S.txt
    // read-only meanwhile and must not refuse the save itself.
    await(() -> !locked(bob, "/S.txt"), "alice's lock released on bob");
    Shell.python(b, "open('S.txt','w').write('bob edited v1')");

    for (Path mount : List.of(a, b)) {
      await(() -> conflictCopies(mount, "S").size() == 1, "the conflict copy on " + mount);
      assertEquals("version two by alice", readOrNull(mount.resolve("S.txt")));
      assertEquals(
          "bob edited v1", readOrNull(mount.resolve(conflictCopies(mount, "S").getFirst())));
    }
    assertEquals(conflictCopies(a, "S"), conflictCopies(b, "S"), "the same name everywhere");
    assertTrue(
        bob.cli("locks").contains("based on an outdated version"), "bob's lock list shows it");
    String status = bob.cli("status", "--json");
    assertTrue(status.contains("\"staleSaves\":[{\"path\":\"/S.txt\""), status);
  }

  @Test
  void simultaneousLockRequestsHaveExactlyOneWinner() throws Exception {
    Shell.python(alice.mountPoint(), "open('R.txt','w').write('race')");
    await(() -> Files.exists(bob.mountPoint().resolve("R.txt")), "R.txt on bob");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 10; round++) {
        CyclicBarrier start = new CyclicBarrier(2);
        List<Future<DaemonProcess.Answer>> answers = new ArrayList<>();
        for (DaemonProcess device : List.of(alice, bob)) {
          answers.add(
              pool.submit(
                  () -> {
                    start.await();
                    return device.api("POST", "/api/lock?path=/R.txt");
                  }));
        }
        int aliceStatus = answers.get(0).get().status();
        int bobStatus = answers.get(1).get().status();
        assertTrue(
            (aliceStatus == 200) != (bobStatus == 200),
            "round " + round + ": alice " + aliceStatus + ", bob " + bobStatus);
        String winner = aliceStatus == 200 ? "alice" : "bob";
        await(
            () -> lockedBy(alice, "/R.txt", winner) && lockedBy(bob, "/R.txt", winner),
            "both devices agree on the holder");
        DaemonProcess holder = aliceStatus == 200 ? alice : bob;
        assertEquals(200, holder.api("POST", "/api/unlock?path=/R.txt").status());
        await(() -> !locked(alice, "/R.txt") && !locked(bob, "/R.txt"), "released everywhere");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void devicesCutApartBothEditAndEveryVersionSurvivesWithTheSameNames() throws Exception {
    Path a = alice.mountPoint();
    Path b = bob.mountPoint();
    Shell.python(a, "open('P.txt','w').write('base')");
    await(() -> "base".equals(readOrNull(b.resolve("P.txt"))), "P.txt on bob");

    cut();
    Thread.sleep(1000);
    Shell.python(a, "open('P.txt','w').write('alice wrote this while apart')");
    Shell.python(b, "open('P.txt','w').write('bob wrote this while apart')");
    Thread.sleep(1500);
    assertEquals("alice wrote this while apart", readOrNull(a.resolve("P.txt")), "apart");
    assertEquals("bob wrote this while apart", readOrNull(b.resolve("P.txt")), "apart");
    assertTrue(conflictCopies(a, "P").isEmpty() && conflictCopies(b, "P").isEmpty(), "apart");

    heal();
    for (Path mount : List.of(a, b)) {
      await(() -> conflictCopies(mount, "P").size() == 1, "the conflict copy on " + mount);
    }
    await(() -> sameTree(a, b), "identical trees after healing");
    List<String> contents = new ArrayList<>();
    contents.add(readOrNull(a.resolve("P.txt")));
    contents.add(readOrNull(a.resolve(conflictCopies(a, "P").getFirst())));
    contents.sort(null);
    assertEquals(List.of("alice wrote this while apart", "bob wrote this while apart"), contents);
    LostWork.assertNone(alice, bob);
  }

  @Test
  void aLockOfAnUnreachableDeviceIsBrokenAndItsLaterSaveBecomesAConflictCopy() throws Exception {
    Path a = alice.mountPoint();
    Path b = bob.mountPoint();
    Shell.python(a, "open('B.txt','w').write('base')");
    await(() -> "base".equals(readOrNull(b.resolve("B.txt"))), "B.txt on bob");
    assertEquals(200, alice.api("POST", "/api/lock?path=/B.txt").status());
    await(() -> lockedBy(bob, "/B.txt", "alice"), "bob sees alice's lock");
    Shell.Result refused =
        Shell.run(
            b,
            DaemonProcess.java(
                "unlock", "--break", "B.txt", "--home", dir.resolve("bob").toString()));
    assertEquals(1, refused.exit(), refused.output());
    assertTrue(refused.output().contains("online"), refused.output());

    cut();
    await(() -> !status(bob).contains("\"state\":\"reachable\""), "bob loses alice");
    String broke = bob.cli("unlock", "--break", b.resolve("B.txt").toString());
    assertTrue(broke.contains("broke the lock alice held"), broke);
    Shell.python(b, "open('B.txt','w').write('bob saved after breaking the lock')");
    Shell.python(a, "open('B.txt','w').write('alice saved, still believing she held it')");

    heal();
    for (Path mount : List.of(a, b)) {
      await(() -> conflictCopies(mount, "B").size() == 1, "the conflict copy on " + mount);
    }
    await(() -> sameTree(a, b), "identical trees");
    List<String> contents = new ArrayList<>();
    contents.add(readOrNull(a.resolve("B.txt")));
    contents.add(readOrNull(a.resolve(conflictCopies(a, "B").getFirst())));
    contents.sort(null);
    assertEquals(
        List.of("alice saved, still believing she held it", "bob saved after breaking the lock"),
        contents,
        "neither save overwrote the other");
    await(() -> locks(alice).contains("\"brokenHere\":[\"/B.txt\"]"), "alice learns of the break");
  }

  @Test
  void aSaveKeptBesideAPeersVersionLeavesTheKernelShowingThatVersion() throws Exception {
    Path a = alice.mountPoint();
    Path b = bob.mountPoint();
    byte[] alices = new byte[300_000];
    new java.util.Random(5).nextBytes(alices);
    Files.write(a.resolve("K.blend"), alices);
    await(() -> sizeOf(b.resolve("K.blend")) == alices.length, "alice's K.blend on bob");
    await(() -> !locked(bob, "/K.blend"), "alice's writer let go of the lock");
    // Bob's app never read alice's version: its save goes beside it. The kernel saw bob's rename
    // succeed, so it must be told that K.blend is not the 12 bytes bob's app just wrote.
    String read =
        Shell.python(
            b,
            """
            with open('K.blend@', 'wb') as f:
                f.write(b'bob new file')
            import os
            os.rename('K.blend@', 'K.blend')
            print(len(open('K.blend', 'rb').read()))
            """);
    assertEquals(Integer.toString(alices.length), read.strip(), "what bob's next read sees");
    assertEquals(1, conflictCopies(b, "K").size());
    assertEquals("bob new file", Files.readString(b.resolve(conflictCopies(b, "K").getFirst())));
  }

  /** One Blender-style save, as its own process: exit 3 when the lock is held elsewhere. */
  private static final String BLENDER_SAVE =
      """
      import errno, os, sys
      who, i = sys.argv[1], sys.argv[2]
      try:
          base = open('race.blend').read()
      except FileNotFoundError:
          base = 'none|'
      content = '%s-%s|based on %s' % (who, i, base.split('|')[0])
      try:
          with open('race.blend@', 'w') as f:
              f.write(content)
          os.rename('race.blend', 'race.blend1')
          os.rename('race.blend@', 'race.blend')
      except OSError as e:
          if e.errno != errno.EACCES:
              raise
          try:
              os.unlink('race.blend@')
          except OSError:
              pass
          sys.exit(3)
      print(content)
      """;

  @Test
  void blenderSavesRacingOnBothDevicesLoseNoCompletedSave() throws Exception {
    Path a = alice.mountPoint();
    Path b = bob.mountPoint();
    Shell.python(a, "open('race.blend','w').write('start|')");
    await(() -> Files.exists(b.resolve("race.blend")), "race.blend on bob");
    List<String> completed = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Integer>> refusals = new ArrayList<>();
      for (var device : List.of(java.util.Map.entry("alice", a), java.util.Map.entry("bob", b))) {
        refusals.add(
            pool.submit(
                () -> {
                  java.util.Random random = new java.util.Random(device.getKey().hashCode());
                  int refused = 0;
                  for (int save = 0; save < 4; ) {
                    Shell.Result result =
                        Shell.run(
                            device.getValue(),
                            List.of(
                                "python3",
                                "-c",
                                BLENDER_SAVE,
                                device.getKey(),
                                Integer.toString(save)));
                    if (result.exit() == 0) {
                      completed.add(result.output().strip());
                      save++;
                    } else if (result.exit() == 3) {
                      refused++;
                      assertTrue(refused < 200, "a save got through eventually");
                    } else {
                      throw new AssertionError("the save failed: " + result.output());
                    }
                    Thread.sleep(20 + random.nextInt(100));
                  }
                  return refused;
                }));
      }
      int refused = refusals.get(0).get() + refusals.get(1).get();
      System.out.printf(
          "racing saves: %d completed, %d refused by the lock%n", completed.size(), refused);
    } finally {
      pool.shutdownNow();
    }
    assertEquals(8, completed.size());
    await(() -> sameTree(a, b), "identical trees");
    // Every completed save is still on the drive, or a later completed save was based on it.
    java.util.Set<String> kept = new java.util.HashSet<>();
    try (var files = Files.list(a)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        kept.add(Files.readString(file).split("\\|")[0]);
      }
    }
    java.util.Set<String> bases = new java.util.HashSet<>();
    completed.forEach(c -> bases.add(c.substring(c.indexOf("based on") + 8).strip()));
    for (String save : completed) {
      String tag = save.split("\\|")[0];
      assertTrue(
          kept.contains(tag) || bases.contains(tag),
          "save " + tag + " is lost: kept " + kept + ", bases " + bases);
    }
    assertTrue(!Files.exists(a.resolve("race.blend@")) && !Files.exists(b.resolve("race.blend@")));
    LostWork.assertNone(alice, bob);
  }

  // ---- helpers ---------------------------------------------------------------------------------

  /** A running child process with a line-based conversation. */
  private final class App {
    final Process process;
    final BufferedReader out;
    final OutputStream in;

    App(Process process) {
      this.process = process;
      this.out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      this.in = process.getOutputStream();
    }

    /** Waits for an output line starting with {@code prefix} and returns it. */
    String expect(String prefix) throws IOException {
      StringBuilder seen = new StringBuilder();
      for (String line; (line = out.readLine()) != null; ) {
        if (line.startsWith(prefix)) {
          return line;
        }
        seen.append(line).append('\n');
      }
      throw new AssertionError("the app ended without printing " + prefix + ":\n" + seen);
    }

    void send(String line) throws IOException {
      in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
    }

    void finish() throws Exception {
      in.close();
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the app ends");
      assertEquals(0, process.exitValue(), "the app succeeded");
    }
  }

  private App app(Path directory, String program) throws IOException {
    Process process =
        new ProcessBuilder("python3", "-c", program)
            .directory(directory.toFile())
            .redirectErrorStream(true)
            .start();
    apps.add(process);
    return new App(process);
  }

  private static String status(DaemonProcess device) {
    try {
      return device.api("GET", "/api/status").body();
    } catch (IOException | InterruptedException e) {
      return "";
    }
  }

  private static String locks(DaemonProcess device) {
    try {
      return device.api("GET", "/api/locks").body();
    } catch (IOException | InterruptedException e) {
      return "";
    }
  }

  private static boolean locked(DaemonProcess device, String path) {
    return locks(device).contains("{\"path\":\"" + path + "\"");
  }

  private static boolean lockedBy(DaemonProcess device, String path, String holder) {
    String body = locks(device);
    int at = body.indexOf("{\"path\":\"" + path + "\"");
    return at >= 0
        && body.indexOf("\"holderName\":\"" + holder + "\"", at)
            == body.indexOf("\"holderName\"", at);
  }

  private static List<String> conflictCopies(Path mount, String stem) {
    try (var names = Files.list(mount)) {
      return names
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(stem + " (conflict "))
          .sorted()
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static boolean sameTree(Path a, Path b) {
    try (var left = Files.list(a);
        var right = Files.list(b)) {
      List<String> names = left.map(p -> p.getFileName().toString()).sorted().toList();
      if (!names.equals(right.map(p -> p.getFileName().toString()).sorted().toList())) {
        return false;
      }
      for (String name : names) {
        if (Files.isRegularFile(a.resolve(name))
            && !java.util.Arrays.equals(
                Files.readAllBytes(a.resolve(name)), Files.readAllBytes(b.resolve(name)))) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static long sizeOf(Path path) {
    try {
      return Files.size(path);
    } catch (IOException e) {
      return -1;
    }
  }

  private static byte[] readBytesOrNull(Path path) {
    try {
      return Files.readAllBytes(path);
    } catch (IOException e) {
      return null;
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    Eventually.await(condition, Duration.ofSeconds(30), what);
  }
}
