package org.gossipdrive.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.ReplicaOptions;
import org.gossipdrive.engine.maintenance.VerifyReport;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileVersion;
import org.gossipdrive.engine.tree.StoredVersion;
import org.gossipdrive.tests.crash.CrashWriter;
import org.gossipdrive.tests.data.SyntheticContent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing child JVM with SIGKILL at random moments, 100 times on one store, and checks
 * after every kill that the store verifies, that every version the child saw committed is there
 * byte for byte, and that no half-written version is visible.
 */
class CrashRecoveryTest {
  private static final int KILLS = Integer.getInteger("gossipdrive.crash.kills", 100);

  @TempDir Path store;

  private record Committed(FileId id, long sequence, long seed, int size) {}

  private static boolean committedAny(List<String> lines) {
    synchronized (lines) {
      return lines.stream().anyMatch(l -> l.startsWith("COMMITTED"));
    }
  }

  @Test
  void survivesAHundredKillNines() throws Exception {
    Random random = new Random(20261121);
    int totalCommitted = 0;
    int killsWhileWriting = 0;
    int interruptedUploadsSwept = 0;
    for (int round = 0; round < KILLS; round++) {
      List<String> lines = Collections.synchronizedList(new ArrayList<>());
      Process child =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "--enable-native-access=ALL-UNNAMED",
                  "-Xmx512m",
                  "-cp",
                  System.getProperty("java.class.path"),
                  CrashWriter.class.getName(),
                  store.toString(),
                  Long.toString(round))
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      Thread reader = Thread.ofPlatform().start(() -> collect(child, lines));
      try {
        if (round % 2 == 0) {
          // Kill anywhere from JVM start-up through recovery to full-speed writing.
          Thread.sleep(150 + random.nextInt(1400));
        } else {
          // Kill while writing, however long start-up took on a loaded machine (a fixed delay
          // landed before the first write in more than half the rounds under the full suite).
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
          while (!committedAny(lines) && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
          }
          Thread.sleep(random.nextInt(300));
        }
      } finally {
        child.destroyForcibly(); // SIGKILL on Linux
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not die");
        reader.join(10_000);
      }
      assertEquals(
          137, child.exitValue(), "the child must die from SIGKILL, not exit on its own: " + lines);
      List<Committed> committed = parse(lines);
      if (!committed.isEmpty()) {
        killsWhileWriting++;
      }
      totalCommitted += committed.size();
      assertFalse(
          lines.stream().anyMatch(l -> l.startsWith("FAILED")),
          () -> "child reported a failure: " + lines);

      try (Replica replica =
          Replica.open(store, ReplicaOptions.defaults(new DeviceId("CRASH-CHECK")))) {
        interruptedUploadsSwept += replica.recoveryReport().interruptedUploads();
        VerifyReport report = replica.verify();
        assertTrue(report.ok(), "round " + round + ": " + report.errors());
        for (Committed c : committed) {
          StoredVersion version =
              replica
                  .version(c.id(), c.sequence())
                  .orElseThrow(() -> new AssertionError("round lost committed version " + c));
          assertEquals(c.size(), version.version().size());
          try (var in = replica.stream(version.version())) {
            assertArrayEquals(
                SyntheticContent.bytes(c.seed(), c.size()), in.readAllBytes(), "content of " + c);
          }
        }
        for (FileVersion head : replica.list(FileId.ROOT)) {
          try (var in = replica.stream(head)) {
            assertEquals(
                head.size(), in.readAllBytes().length, "head " + head.name() + " must be whole");
          }
        }
        // Keep the store small across rounds; this also crashes into prune and GC state.
        replica.pruneHistory(0);
        replica.collectGarbage();
      }
    }
    System.out.printf(
        "crash test: %d kills, %d while writing, %d commits checked, %d interrupted big-file uploads swept%n",
        KILLS, killsWhileWriting, totalCommitted, interruptedUploadsSwept);
    assertTrue(
        killsWhileWriting >= KILLS / 2,
        "most kills must land while the child is writing, got " + killsWhileWriting);
  }

  private static void collect(Process child, List<String> lines) {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        lines.add(line);
      }
    } catch (java.io.IOException ignored) {
      // the child was killed mid-line
    }
  }

  private static List<Committed> parse(List<String> lines) {
    List<Committed> committed = new ArrayList<>();
    synchronized (lines) {
      for (String line : lines) {
        String[] parts = line.split(" ");
        // A line cut by the kill has fewer fields; the commit it announced may or may not count.
        if (parts.length == 5 && parts[0].equals("COMMITTED")) {
          committed.add(
              new Committed(
                  FileId.parse(parts[1]),
                  Long.parseLong(parts[2]),
                  Long.parseLong(parts[3]),
                  Integer.parseInt(parts[4])));
        }
      }
    }
    return committed;
  }
}
