package org.gossipdrive.net.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trusted-set gossip: newer sets replace, concurrent admissions merge, outsiders are refused. */
class TrustMergeTest {
  @TempDir Path dir;

  private final DeviceIdentity alice = DeviceIdentity.generate();
  private final DeviceIdentity bob = DeviceIdentity.generate();
  private final DeviceIdentity carol = DeviceIdentity.generate();
  private final DeviceIdentity dave = DeviceIdentity.generate();

  private static TrustedSet add(
      TrustedSet set, DeviceIdentity device, String name, DeviceIdentity by) {
    return set.with(device.id(), device.rawPublicKey(), name, by.id());
  }

  private static Set<DeviceId> members(TrustStore store) {
    return store.current().orElseThrow().members().stream()
        .map(TrustedSet.Member::id)
        .collect(Collectors.toSet());
  }

  @Test
  void concurrentAdmissionsMergeAndEveryoneEndsWithTheUnion() throws Exception {
    TrustStore atAlice = TrustStore.open(dir.resolve("alice"));
    TrustedSet founding = atAlice.found("DRIVE-T", alice, "alice");
    TrustedSet withBob = add(founding, bob, "bob", alice);
    atAlice.save(withBob, alice);
    TrustStore atBob = TrustStore.open(dir.resolve("bob"));
    atBob.accept(withBob.sign(alice));
    int[] changes = {0};
    atBob.onChange(() -> changes[0]++);

    assertFalse(atBob.merge(withBob.sign(alice), bob), "nothing new");
    // alice admits carol while bob admits dave
    atAlice.save(add(withBob, carol, "carol", alice), alice);
    atBob.save(add(withBob, dave, "dave", bob), bob);
    assertEquals(1, changes[0]);

    assertTrue(atAlice.merge(atBob.signedRecord().orElseThrow(), alice));
    assertEquals(Set.of(alice.id(), bob.id(), carol.id(), dave.id()), members(atAlice));
    assertTrue(atBob.merge(atAlice.signedRecord().orElseThrow(), bob));
    assertEquals(members(atAlice), members(atBob));
    assertEquals(
        atAlice.current().orElseThrow().version(),
        atBob.current().orElseThrow().version(),
        "bob took alice's union as signed");
    assertEquals(2, changes[0], "bob's listeners heard of it");
    assertFalse(atAlice.merge(atBob.signedRecord().orElseThrow(), alice), "converged");
  }

  @Test
  void theLatestRenameWinsEveryMergeEvenAgainstAConcurrentAdmission() throws Exception {
    TrustStore atAlice = TrustStore.open(dir.resolve("alice"));
    TrustedSet withBob = add(atAlice.found("DRIVE-N", alice, "alice"), bob, "bob", alice);
    atAlice.save(withBob, alice);
    TrustStore atBob = TrustStore.open(dir.resolve("bob"));
    atBob.accept(withBob.sign(alice));

    // bob renames himself while alice admits carol: neither set includes the other
    atBob.rename(bob, "bob's laptop");
    atAlice.save(add(withBob, carol, "carol", alice), alice);
    assertTrue(atAlice.merge(atBob.signedRecord().orElseThrow(), alice));
    assertTrue(atBob.merge(atAlice.signedRecord().orElseThrow(), bob));
    for (TrustStore store : List.of(atAlice, atBob)) {
      TrustedSet set = store.current().orElseThrow();
      assertEquals("bob's laptop", set.member(bob.id()).orElseThrow().name());
      assertEquals(Set.of(alice.id(), bob.id(), carol.id()), members(store));
    }
    assertFalse(atAlice.merge(atBob.signedRecord().orElseThrow(), alice), "converged");

    // an older set naming bob "bob" does not undo the rename
    assertFalse(atAlice.merge(withBob.sign(alice), alice));
    assertEquals(
        "bob's laptop", atAlice.current().orElseThrow().member(bob.id()).orElseThrow().name());

    // a later rename by bob reaches alice and replaces the name
    atBob.rename(bob, "studio");
    assertTrue(atAlice.merge(atBob.signedRecord().orElseThrow(), alice));
    assertEquals("studio", atAlice.current().orElseThrow().member(bob.id()).orElseThrow().name());
  }

  @Test
  void setsFromOutsidersOrOtherDrivesAreRefusedAndChangeNothing() throws Exception {
    TrustStore atAlice = TrustStore.open(dir.resolve("alice"));
    TrustedSet founding = atAlice.found("DRIVE-T", alice, "alice");
    DeviceIdentity eve = DeviceIdentity.generate();
    TrustedSet forged = add(add(founding, eve, "eve", eve), bob, "bob", eve);
    TrustException outsider =
        assertThrows(TrustException.class, () -> atAlice.merge(forged.sign(eve), alice));
    assertTrue(outsider.getMessage().contains("does not trust"), outsider.getMessage());
    TrustStore other = TrustStore.open(dir.resolve("other"));
    TrustedSet otherDrive = other.found("DRIVE-OTHER", alice, "alice");
    assertThrows(TrustException.class, () -> atAlice.merge(otherDrive.sign(alice), alice));
    assertEquals(Set.of(alice.id()), members(atAlice));
    assertEquals(Set.of(alice.id()), members(TrustStore.open(dir.resolve("alice"))), "on disk");
  }
}
