package org.gossipdrive.net.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A home's identity is made once and never replaced. */
class IdentityStoreTest {
  @TempDir Path home;

  private IdentityStore store() {
    return new IdentityStore(home, new FileSecretStore(home.resolve("keys")));
  }

  @Test
  void aPublicKeyWithoutItsPrivateKeyIsRefusedNotReplaced() throws Exception {
    DeviceIdentity first = store().loadOrCreate();
    assertEquals(first.id(), store().loadOrCreate().id(), "loaded, not made again");
    byte[] published = Files.readAllBytes(home.resolve("device.pub"));

    // The key went missing (a keyring that does not answer, a removed file): before, the next
    // init made a new identity and overwrote device.pub, and the drive no longer knew this device.
    try (var keys = Files.list(home.resolve("keys"))) {
      for (Path key : keys.toList()) {
        Files.delete(key);
      }
    }
    IllegalStateException refused =
        assertThrows(IllegalStateException.class, () -> store().loadOrCreate());
    assertTrue(refused.getMessage().contains("refusing to replace"), refused.getMessage());
    assertArrayEquals(published, Files.readAllBytes(home.resolve("device.pub")), "unchanged");
  }
}
