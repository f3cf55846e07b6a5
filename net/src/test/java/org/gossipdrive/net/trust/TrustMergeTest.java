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
  void aReceivedSetNamingADeviceWithAnEscapeSequenceIsRefusedAndChangesNothing() throws Exception {
    TrustStore atAlice = TrustStore.open(dir.resolve("alice"));
    TrustedSet withBob = add(atAlice.found("DRIVE-E", alice, "alice"), bob, "bob", alice);
    atAlice.save(withBob, alice);
    java.nio.file.Path file = dir.resolve("alice").resolve("trusted-devices.bin");
    byte[] before = java.nio.file.Files.readAllBytes(file);
    // bob, a member, renames himself with a name that would set the window title of a terminal
    TrustedSet hostile = withBob.renamed(bob, "\u001b]0;pwned\u0007");
    TrustException merged =
        assertThrows(TrustException.class, () -> atAlice.merge(hostile.sign(bob), alice));
    assertTrue(merged.getMessage().contains("control character U+001B"), merged.getMessage());
    assertFalse(merged.getMessage().contains("\u001b"), "the refusal never echoes the name");
    assertTrue(java.util.Arrays.equals(before, java.nio.file.Files.readAllBytes(file)));
    assertEquals("bob", atAlice.current().orElseThrow().member(bob.id()).orElseThrow().name());
    TrustStore atCarol = TrustStore.open(dir.resolve("carol"));
    assertThrows(TrustException.class, () -> atCarol.accept(hostile.sign(bob)));
    assertTrue(atCarol.current().isEmpty(), "a joiner handed such a set keeps nothing");
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

  /** {@code set} as its signer could forge it: any version, names stamped {@code namedAt}. */
  private static org.gossipdrive.net.wire.proto.SignedRecord forged(
      TrustedSet set, long version, long namedAt, DeviceIdentity signer) {
    var body =
        org.gossipdrive.net.wire.proto.TrustedSetBody.newBuilder()
            .setDriveId(set.driveId())
            .setVersion(version);
    for (TrustedSet.Member m : set.members()) {
      body.addDevices(
          org.gossipdrive.net.wire.proto.TrustedDevice.newBuilder()
              .setDeviceId(m.id().value())
              .setPublicKey(com.google.protobuf.ByteString.copyFrom(m.publicKey()))
              .setName(m.name())
              .setAddedBy(m.addedBy().value())
              .setAddedAtMillis(m.addedAtMillis())
              .setNamedAtMillis(namedAt == 0 ? m.namedAtMillis() : namedAt));
    }
    return SignedRecords.sign(TrustedSet.KIND, body.build().toByteArray(), signer);
  }

  private static byte[] onDisk(Path home) throws java.io.IOException {
    return java.nio.file.Files.readAllBytes(home.resolve("trusted-devices.bin"));
  }

  @Test
  void aSetClaimingTheLastVersionOrAFutureStampIsRefusedAndChangesNothing() throws Exception {
    Path home = dir.resolve("alice");
    TrustStore atAlice = TrustStore.open(home);
    TrustedSet withBob = add(atAlice.found("DRIVE-V", alice, "alice"), bob, "bob", alice);
    atAlice.save(withBob, alice);
    byte[] before = onDisk(home);

    // bob, a member, adds dave at version 2^63 - 1: taken, no device could ever change the set
    // again (the next version would overflow).
    TrustedSet withDave = add(withBob, dave, "dave", bob);
    TrustException last =
        assertThrows(
            TrustException.class,
            () -> atAlice.merge(forged(withDave, Long.MAX_VALUE, 0, bob), alice));
    assertTrue(last.getMessage().contains("jumps more than"), last.getMessage());
    // ... or stamps his name a year ahead, so no later rename could win over it.
    long aYearAhead = System.currentTimeMillis() + java.time.Duration.ofDays(365).toMillis();
    TrustException future =
        assertThrows(
            TrustException.class,
            () -> atAlice.merge(forged(withDave, withDave.version(), aYearAhead, bob), alice));
    assertTrue(future.getMessage().contains("in the future"), future.getMessage());
    assertTrue(java.util.Arrays.equals(before, onDisk(home)), "nothing written");
    assertEquals(withBob.version(), atAlice.current().orElseThrow().version());

    // the set still moves on
    assertTrue(atAlice.merge(withDave.sign(bob), alice));
    assertEquals(Set.of(alice.id(), bob.id(), dave.id()), members(atAlice));
  }

  @Test
  void theThousandAndTwentyFifthMemberIsRefusedBeforeAnythingIsWritten() throws Exception {
    Path home = dir.resolve("alice");
    TrustStore atAlice = TrustStore.open(home);
    TrustedSet base = add(atAlice.found("DRIVE-M", alice, "alice"), bob, "bob", alice);
    TrustedSet full = base;
    for (int i = full.members().size(); i < TrustedSet.MAX_MEMBERS; i++) {
      full = add(full, DeviceIdentity.generate(), "device " + i, alice);
    }
    atAlice.save(full, alice);
    assertEquals(TrustedSet.MAX_MEMBERS, full.members().size());
    byte[] before = onDisk(home);

    TrustedSet atCapacity = full;
    TrustException added =
        assertThrows(TrustException.class, () -> add(atCapacity, carol, "carol", alice));
    assertTrue(added.getMessage().contains("at most 1024"), added.getMessage());
    // a concurrent admission elsewhere would make the union one too many
    TrustedSet withCarolAtBob = add(base, carol, "carol", bob);
    TrustException merged =
        assertThrows(TrustException.class, () -> atAlice.merge(withCarolAtBob.sign(bob), alice));
    assertTrue(merged.getMessage().contains("at most 1024"), merged.getMessage());

    assertTrue(java.util.Arrays.equals(before, onDisk(home)), "nothing written");
    assertEquals(
        TrustedSet.MAX_MEMBERS,
        TrustStore.open(home).current().orElseThrow().members().size(),
        "the home still opens");
  }
}
