package org.gossipdrive.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression: every process that opened a replica left a 17 MB copy of RocksDB's library in the
 * temp directory when it did not exit cleanly (a daemon killed, a crash test's SIGKILL).
 */
class RocksDbLibraryTest {
  @TempDir Path dir;

  /** Opens a replica, then dies without any cleanup (like kill -9). */
  public static final class OpenThenHalt {
    public static void main(String[] args) {
      try (ReplicaDb db = ReplicaDb.open(Path.of(args[0]))) {
        db.put(ReplicaDb.Column.META, new byte[] {1}, new byte[] {2});
        System.out.println("opened");
        System.out.flush();
        Runtime.getRuntime().halt(9);
      }
    }
  }

  @Test
  void aProcessThatDiesLeavesNoCopyOfTheLibraryBehind() throws Exception {
    Path temp = Files.createDirectories(dir.resolve("tmp"));
    Path cache = Files.createDirectories(dir.resolve("cache"));
    for (int run = 0; run < 2; run++) {
      ProcessBuilder builder =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "--enable-native-access=ALL-UNNAMED",
                  "-Djava.io.tmpdir=" + temp,
                  "-cp",
                  System.getProperty("java.class.path"),
                  OpenThenHalt.class.getName(),
                  dir.resolve("db" + run).toString())
              .redirectErrorStream(true);
      builder.environment().put("XDG_CACHE_HOME", cache.toString());
      Process child = builder.start();
      String output = new String(child.getInputStream().readAllBytes());
      assertTrue(child.waitFor(60, TimeUnit.SECONDS));
      assertEquals(9, child.exitValue(), output);
      assertTrue(output.contains("opened"), output);
    }
    try (var left = Files.list(temp)) {
      List<String> names = left.map(p -> p.getFileName().toString()).toList();
      assertTrue(names.stream().noneMatch(n -> n.startsWith("librocksdbjni")), names.toString());
    }
    try (var copies = Files.walk(cache)) {
      assertEquals(
          1,
          copies.filter(p -> p.getFileName().toString().endsWith(".so")).count(),
          "one shared copy for both runs");
    }
  }
}
