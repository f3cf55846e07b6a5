package org.gossipdrive.platform.keyring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.identity.IdentityStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OsKeyringProviderTest {
  @TempDir Path home;

  @Test
  void withoutASessionKeyringTheKeyFallsBackToAnOwnerOnlyFile() throws Exception {
    assumeTrue(
        OsKeyringProvider.isLinuxWithoutSessionBus(),
        "a D-Bus session is present; this test covers the headless fallback");
    long start = System.nanoTime();
    assertTrue(new OsKeyringProvider().open(home).isEmpty());
    assertTrue(System.nanoTime() - start < 2_000_000_000L, "the probe must not stall start-up");
    IdentityStore store = IdentityStore.forHome(home);
    DeviceIdentity identity = store.loadOrCreate();
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(home.resolve("keys/device.key"))));
    assertEquals(identity.id(), IdentityStore.forHome(home).loadOrCreate().id());
  }
}
