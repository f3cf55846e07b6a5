package org.gossipdrive.tests.drive;

import static org.gossipdrive.tests.drive.Eventually.await;
import static org.gossipdrive.tests.drive.Eventually.readOrNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.gossipdrive.platform.fuse.StaleMounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command, {@code mount-scripts/gossipdrive demo}, as a user runs it: it starts
 * two drives joined by a real invitation, syncs a file both ways, prints the status page, and a
 * SIGTERM (what Ctrl-C does to the script) stops both cleanly with no mount left behind.
 */
class DemoTest {
  @TempDir Path dir;

  @Test
  void demoSyncsBothWaysAndStopsLeavingNoMount() throws Exception {
    Path root = Path.of("").toAbsolutePath().getParent();
    Path demo = dir.resolve("demo");
    Path output = dir.resolve("demo.out");
    ProcessBuilder builder =
        new ProcessBuilder(
                root.resolve("mount-scripts/gossipdrive").toString(), "demo", demo.toString())
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    builder.environment().put("GOSSIPDRIVE_NO_BUILD", "1");
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process script = builder.start();
    try {
      await(() -> read(output).contains("Press Ctrl-C"), Duration.ofSeconds(180), "the demo up");
      String shown = read(output);
      assertTrue(shown.contains("bob sees: Hello from alice"), shown);
      assertTrue(shown.contains("status page: http://127.0.0.1:"), shown);

      Files.writeString(demo.resolve("bob/from-bob.txt"), "bob was here");
      await(
          () -> "bob was here".equals(readOrNull(demo.resolve("alice/from-bob.txt"))),
          Duration.ofSeconds(30),
          "bob's file on alice");

      script.destroy(); // SIGTERM, which the script traps like Ctrl-C
      assertTrue(script.waitFor(90, TimeUnit.SECONDS), "the demo stops");
      assertEquals(0, script.exitValue(), read(output));
      assertTrue(read(output).contains("stopped"), read(output));
      assertFalse(StaleMounts.isMounted(demo.resolve("alice")), "alice unmounted");
      assertFalse(StaleMounts.isMounted(demo.resolve("bob")), "bob unmounted");
    } finally {
      script.descendants().forEach(ProcessHandle::destroyForcibly);
      script.destroyForcibly();
      StaleMounts.unmount(demo.resolve("alice"));
      StaleMounts.unmount(demo.resolve("bob"));
    }
  }

  private static String read(Path file) {
    String text = readOrNull(file);
    return text == null ? "" : text;
  }
}
