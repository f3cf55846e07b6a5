package org.gossipdrive.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gossipdrive.tests.keyring.KeyringProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device key goes to a real Secret Service (gnome-keyring in a private D-Bus session) and comes
 * back from it in a second process; no key file is written.
 */
class OsKeyringTest {
  @TempDir Path scratch;

  private static boolean installed(String command) {
    return List.of("/usr/bin/", "/bin/").stream()
        .anyMatch(dir -> Files.isExecutable(Path.of(dir + command)));
  }

  @Test
  void theDeviceKeyLivesInTheSecretServiceWhenOneIsRunning() throws Exception {
    assumeTrue(
        installed("dbus-run-session") && installed("gnome-keyring-daemon"),
        "skipped: dbus-run-session and gnome-keyring-daemon are needed (apt-get install gnome-keyring dbus)");
    Path home = scratch.resolve("home");
    Path userHome = scratch.resolve("user");
    Files.createDirectories(userHome);
    String java =
        Path.of(System.getProperty("java.home"), "bin", "java")
            + " --enable-native-access=ALL-UNNAMED -cp '"
            + System.getProperty("java.class.path")
            + "' "
            + KeyringProbe.class.getName()
            + " '"
            + home
            + "'";
    String script =
        "echo -n unlock | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; "
            + java
            + "; "
            + java;
    ProcessBuilder session =
        new ProcessBuilder("dbus-run-session", "--", "sh", "-c", script)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .directory(scratch.toFile());
    session.environment().put("HOME", userHome.toString());
    session.environment().remove("DBUS_SESSION_BUS_ADDRESS");
    Path output = scratch.resolve("output.txt");
    session.redirectOutput(output.toFile());
    Process process = session.start();
    // Bounded even if a keyring prompt or a stray daemon hangs: the session is killed after 150 s.
    if (!process.waitFor(150, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    String printed = Files.readString(output, StandardCharsets.UTF_8);
    List<String> ids = printed.lines().filter(l -> l.startsWith("ID ")).toList();
    List<String> stores = printed.lines().filter(l -> l.startsWith("STORE ")).toList();
    assertEquals(2, ids.size(), printed);
    assertEquals(ids.get(0), ids.get(1), "the second process reads the key the first one stored");
    assertTrue(stores.stream().allMatch(s -> s.contains("OS keyring")), printed);
    assertFalse(
        Files.exists(home.resolve("keys/device.key")), "no key file when a keyring holds the key");
  }
}
