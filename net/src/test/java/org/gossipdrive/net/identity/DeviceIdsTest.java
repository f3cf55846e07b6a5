package org.gossipdrive.net.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.gossipdrive.engine.tree.DeviceId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceIdsTest {
  @TempDir Path home;

  @Test
  void idsAreShortGroupedAndParseBackFromSloppyInput() {
    DeviceIdentity identity = DeviceIdentity.generate();
    DeviceId id = identity.id();
    assertTrue(id.value().matches("[A-Z2-7]{9}-[A-Z2-7]{9}-[A-Z2-7]{9}"), id.value());
    assertEquals(id, DeviceIds.parse(id.value().toLowerCase().replace("-", " ")));
    assertEquals(id, DeviceIds.fromPublicKey(identity.rawPublicKey()));
    assertNotEquals(id, DeviceIdentity.generate().id());
  }

  @Test
  void everySingleLetterTypoIsCaught() {
    String compact = DeviceIdentity.generate().id().value().replace("-", "");
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    for (int position = 0; position < compact.length(); position++) {
      for (char c : alphabet.toCharArray()) {
        if (c == compact.charAt(position)) {
          continue;
        }
        String typo = compact.substring(0, position) + c + compact.substring(position + 1);
        InvalidDeviceIdException e =
            assertThrows(InvalidDeviceIdException.class, () -> DeviceIds.parse(typo), typo);
        assertTrue(e.getMessage().contains("typo"), e.getMessage());
      }
    }
  }

  @Test
  void malformedIdsGetTheirOwnMessages() {
    assertTrue(
        assertThrows(InvalidDeviceIdException.class, () -> DeviceIds.parse("ABC"))
            .getMessage()
            .contains("27"));
    assertTrue(
        assertThrows(InvalidDeviceIdException.class, () -> DeviceIds.parse("A".repeat(26) + "1"))
            .getMessage()
            .contains("'1'"));
  }

  @Test
  void theKeyIsStoredOwnerOnlyAndReloadsToTheSameIdentity() throws Exception {
    IdentityStore store = new IdentityStore(home, new FileSecretStore(home.resolve("keys")));
    DeviceIdentity created = store.loadOrCreate();
    Path keyFile = home.resolve("keys/device.key");
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
    assertEquals(
        created.id(),
        new IdentityStore(home, new FileSecretStore(home.resolve("keys"))).loadOrCreate().id());

    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.load());
    assertTrue(e.getMessage().contains("0600"), e.getMessage());
  }
}
