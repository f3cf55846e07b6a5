package org.gossipdrive.fs.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.trust.TrustedSet;
import org.junit.jupiter.api.Test;

/** {@code remove DEVICE} finds the device by id or unique name, and says clearly when it cannot. */
class DeviceRemovalTest {
  private final DeviceIdentity alice = DeviceIdentity.generate();
  private final DeviceIdentity carol = DeviceIdentity.generate();
  private final DeviceIdentity laptop1 = DeviceIdentity.generate();
  private final DeviceIdentity laptop2 = DeviceIdentity.generate();

  private TrustedSet drive() {
    return TrustedSet.founding("DRIVE", alice, "alice")
        .with(carol.id(), carol.rawPublicKey(), "carol", alice.id())
        .with(laptop1.id(), laptop1.rawPublicKey(), "laptop", alice.id())
        .with(laptop2.id(), laptop2.rawPublicKey(), "laptop", alice.id());
  }

  @Test
  void aDeviceIsFoundByItsIdInAnySpellingOrByItsUniqueName() {
    TrustedSet set = drive();
    assertEquals(carol.id(), DeviceRemoval.resolve(set, "carol"));
    assertEquals(carol.id(), DeviceRemoval.resolve(set, carol.id().value()));
    assertEquals(
        carol.id(),
        DeviceRemoval.resolve(set, carol.id().value().toLowerCase(java.util.Locale.ROOT)));
  }

  @Test
  void anUnknownAmbiguousOrAlreadyRemovedDeviceIsRefusedInOneLine() {
    TrustedSet set = drive();
    var unknown =
        assertThrows(
            IllegalArgumentException.class, () -> DeviceRemoval.resolve(set, "dave\u001b[2J"));
    assertTrue(
        unknown.getMessage().startsWith("no device named dave\\x1b[2J"), unknown.getMessage());
    var twice =
        assertThrows(IllegalArgumentException.class, () -> DeviceRemoval.resolve(set, "laptop"));
    assertTrue(twice.getMessage().contains("2 devices are named laptop"), twice.getMessage());
    assertTrue(twice.getMessage().contains(laptop1.id().value()), twice.getMessage());
    var stranger =
        assertThrows(
            IllegalArgumentException.class,
            () -> DeviceRemoval.resolve(set, DeviceIdentity.generate().id().value()));
    assertTrue(stranger.getMessage().contains("in this drive"), stranger.getMessage());
    TrustedSet removed = set.removed(alice, carol.id(), 0);
    var gone =
        assertThrows(IllegalArgumentException.class, () -> DeviceRemoval.resolve(removed, "carol"));
    assertEquals("carol was already removed", gone.getMessage());
    assertThrows(IllegalArgumentException.class, () -> DeviceRemoval.resolve(set, "  "));
  }
}
