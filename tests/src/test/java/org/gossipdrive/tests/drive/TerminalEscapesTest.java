package org.gossipdrive.tests.drive;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.identity.IdentityStore;
import org.gossipdrive.net.trust.TrustStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names with terminal escape sequences are printed escaped by the real CLI against a real daemon
 * (ADR 37). Such names can no longer arrive from the network (they are refused on receipt), so the
 * test puts them where an older version would have kept them: a peer's name in the stored trusted
 * set and a file name on the drive. (This device's own name in {@code device.name} is refused when
 * read: CliTest.)
 */
class TerminalEscapesTest {
  /** Sets the terminal's window title (OSC 0). */
  private static final String TITLE = "\u001b]0;pwned\u0007";

  /** Clears the screen (CSI 2 J). */
  private static final String CLEAR = "\u001b[2J";

  @TempDir Path dir;

  @Test
  void peersLocksAndStatusShowEscapeSequencesInNamesVisibly() throws Exception {
    Path aliceHome = dir.resolve("alice");
    Path bobHome = dir.resolve("bob");
    try (DaemonProcess alice = new DaemonProcess(aliceHome, dir.resolve("alice-mnt"));
        DaemonProcess bob = new DaemonProcess(bobHome, dir.resolve("bob-mnt"))) {
      alice.cli("init", "--name", "alice");
      alice.start();
      String token = alice.invite();
      bob.cli("join", token, "--name", "bob", "--no-up");
      alice.stop();

      DeviceIdentity bobIdentity = IdentityStore.forHome(bobHome).load().orElseThrow();
      DeviceIdentity aliceIdentity = IdentityStore.forHome(aliceHome).load().orElseThrow();
      TrustStore stored = TrustStore.open(aliceHome);
      stored.rename(bobIdentity, "bob" + TITLE);
      stored.rename(aliceIdentity, "alice" + CLEAR);
      alice.start();

      String peers = alice.cli("peers");
      assertTrue(peers.contains("bob\\x1b]0;pwned\\x07"), peers);
      assertNoRawControls("peers", peers);
      String peersJson = alice.cli("peers", "--json");
      assertTrue(peersJson.contains("bob\\u001b]0;pwned\\u0007"), peersJson);
      assertNoRawControls("peers --json", peersJson);

      Path document = alice.mountPoint().resolve("red" + CLEAR + ".odt");
      Files.writeString(document, "a document whose name clears the screen");
      alice.cli("lock", document.toString());
      String locks = alice.cli("locks");
      assertTrue(locks.contains("/red\\x1b[2J.odt  held by alice"), locks);
      assertNoRawControls("locks", locks);

      String status = alice.cli("status");
      assertTrue(status.contains("bob\\x1b]0;pwned"), status);
      assertNoRawControls("status", status);
    }
  }

  private static void assertNoRawControls(String command, String output) {
    assertFalse(
        output.chars().anyMatch(c -> c != '\n' && c != '\t' && Character.isISOControl(c)),
        command + " printed a raw control character:\n" + output);
  }
}
