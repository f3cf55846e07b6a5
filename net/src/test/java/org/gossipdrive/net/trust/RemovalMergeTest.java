package org.gossipdrive.net.trust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.ReplicaOptions;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileVersion;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.wire.proto.SignedRecord;
import org.gossipdrive.net.wire.proto.TrustedDevice;
import org.gossipdrive.net.wire.proto.TrustedSetBody;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Removal (ADR 39): a signed tombstone beats any admission of the same device in every merge, a set
 * replayed from before the removal changes nothing, tombstones count towards the cap, only a device
 * renames itself, and a removed device's records after its removal are refused.
 */
class RemovalMergeTest {
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

  private static byte[] onDisk(Path home) throws java.io.IOException {
    return Files.readAllBytes(home.resolve("trusted-devices.bin"));
  }

  /** alice, bob and carol, each with the same set: alice's stores are returned in that order. */
  private List<TrustStore> threeDevices() {
    TrustStore atAlice = TrustStore.open(dir.resolve("alice"));
    TrustedSet all =
        add(
            add(atAlice.found("DRIVE-R", alice, "alice"), bob, "bob", alice),
            carol,
            "carol",
            alice);
    atAlice.save(all, alice);
    TrustStore atBob = TrustStore.open(dir.resolve("bob"));
    atBob.accept(all.sign(alice));
    TrustStore atCarol = TrustStore.open(dir.resolve("carol"));
    atCarol.accept(all.sign(alice));
    return List.of(atAlice, atBob, atCarol);
  }

  @Test
  void aRemovalBeatsAConcurrentAdmissionAndEveryDeviceEndsWithTheSameSet() {
    List<TrustStore> stores = threeDevices();
    TrustStore atAlice = stores.get(0);
    TrustStore atBob = stores.get(1);
    // alice removes carol while bob, not knowing, admits dave and carol renames herself
    atAlice.remove(alice, carol.id(), 7);
    atBob.save(add(atBob.current().orElseThrow(), dave, "dave", bob), bob);
    stores.get(2).rename(carol, "carol's laptop");
    assertTrue(atBob.merge(stores.get(2).signedRecord().orElseThrow(), bob));

    assertTrue(atBob.merge(atAlice.signedRecord().orElseThrow(), bob));
    assertTrue(atAlice.merge(atBob.signedRecord().orElseThrow(), alice));
    for (TrustStore store : List.of(atAlice, atBob)) {
      TrustedSet set = store.current().orElseThrow();
      assertEquals(Set.of(alice.id(), bob.id(), dave.id()), members(store));
      assertFalse(store.isTrusted(carol.id()));
      assertTrue(store.isRemoved(carol.id()));
      assertEquals(7, set.removal(carol.id()).orElseThrow().lastSequence());
      assertEquals(alice.id(), set.removal(carol.id()).orElseThrow().removedBy());
      assertEquals(7, store.recordLimit(carol.id()));
      assertEquals(Long.MAX_VALUE, store.recordLimit(bob.id()));
      assertEquals(
          "carol's laptop",
          set.member(carol.id()).orElseThrow().name(),
          "a removed device keeps its key and name, for its history");
    }
    assertFalse(atAlice.merge(atBob.signedRecord().orElseThrow(), alice), "converged");
  }

  @Test
  void aSetReplayedFromBeforeTheRemovalChangesNothing() throws Exception {
    List<TrustStore> stores = threeDevices();
    TrustStore atAlice = stores.get(0);
    TrustStore atBob = stores.get(1);
    SignedRecord beforeByAlice = atAlice.signedRecord().orElseThrow();
    TrustedSet before = atAlice.current().orElseThrow();
    SignedRecord beforeByCarol = before.sign(carol);
    atAlice.remove(alice, carol.id(), 0);
    assertTrue(atBob.merge(atAlice.signedRecord().orElseThrow(), bob));
    byte[] held = onDisk(dir.resolve("bob"));

    assertFalse(atBob.merge(beforeByAlice, bob), "an old set adds nothing");
    TrustException byCarol =
        assertThrows(TrustException.class, () -> atBob.merge(beforeByCarol, bob));
    assertTrue(byCarol.getMessage().contains("was removed"), byCarol.getMessage());
    // carol, removed, signs a set claiming a later version that admits her again
    TrustedSet claim =
        new TrustedSet(
            before.driveId(),
            before.version() + 5,
            before.everyDevice().stream()
                .collect(
                    Collectors.toMap(
                        TrustedSet.Member::id, m -> m, (a, b) -> a, java.util.LinkedHashMap::new)),
            java.util.Map.of());
    assertThrows(TrustException.class, () -> atBob.merge(claim.sign(carol), bob));
    // ... and alice's old set merged with something new still keeps the tombstone
    TrustedSet withDave = add(before, dave, "dave", alice);
    assertTrue(atBob.merge(withDave.sign(alice), bob));
    assertTrue(atBob.isRemoved(carol.id()), "the removal survives a union with an old set");
    assertEquals(Set.of(alice.id(), bob.id(), dave.id()), members(atBob));

    TrustStore reopened = TrustStore.open(dir.resolve("bob"));
    assertTrue(reopened.isRemoved(carol.id()), "on disk");
    assertFalse(java.util.Arrays.equals(held, onDisk(dir.resolve("bob"))), "dave was added");
  }

  @Test
  void aRemovedDeviceCannotBeAdmittedAgainNorSignAnything() {
    List<TrustStore> stores = threeDevices();
    TrustStore atAlice = stores.get(0);
    TrustedSet after = atAlice.remove(alice, carol.id(), 0);
    TrustException again =
        assertThrows(TrustException.class, () -> add(after, carol, "carol", alice));
    assertTrue(again.getMessage().contains("cannot be admitted again"), again.getMessage());
    TrustException twice =
        assertThrows(TrustException.class, () -> atAlice.remove(alice, carol.id(), 3));
    assertTrue(twice.getMessage().contains("already removed"), twice.getMessage());
    assertThrows(TrustException.class, () -> after.removed(carol, bob.id(), 0));
    assertThrows(TrustException.class, () -> after.renamed(carol, "back"));
    assertEquals(after, atAlice.current().orElseThrow(), "refusals change nothing");

    // carol hears of her removal: she keeps the set that says so, and can change nothing more
    TrustStore atCarol = stores.get(2);
    assertTrue(atCarol.merge(atAlice.signedRecord().orElseThrow(), carol));
    assertTrue(atCarol.isRemoved(carol.id()));
    TrustException rename =
        assertThrows(TrustException.class, () -> atCarol.rename(carol, "still here"));
    assertTrue(rename.getMessage().contains("was removed"), rename.getMessage());
  }

  @Test
  void aDeviceMayRemoveItself() {
    List<TrustStore> stores = threeDevices();
    stores.get(1).remove(bob, bob.id(), 4);
    assertTrue(stores.get(1).isRemoved(bob.id()));
    assertTrue(stores.get(0).merge(stores.get(1).signedRecord().orElseThrow(), alice));
    assertTrue(stores.get(0).isRemoved(bob.id()));
    assertEquals(Set.of(alice.id(), carol.id()), members(stores.get(0)));
    // having left, bob signs nothing more that anyone takes
    TrustedSet after = stores.get(0).current().orElseThrow();
    assertThrows(TrustException.class, () -> stores.get(1).rename(bob, "back"));
    assertThrows(
        TrustException.class,
        () -> stores.get(0).merge(add(after, dave, "dave", alice).sign(bob), alice));
  }

  @Test
  void twoRemovalsOfOneDeviceResolveTheSameWayInEitherOrder() {
    List<TrustStore> stores = threeDevices();
    TrustStore atAlice = stores.get(0);
    TrustStore atBob = stores.get(1);
    atAlice.remove(alice, carol.id(), 5);
    atBob.remove(bob, carol.id(), 9);
    SignedRecord fromAlice = atAlice.signedRecord().orElseThrow();
    assertTrue(atAlice.merge(atBob.signedRecord().orElseThrow(), alice));
    assertFalse(atBob.merge(fromAlice, bob), "bob's removal already beats alice's");
    assertFalse(atBob.merge(atAlice.signedRecord().orElseThrow(), bob), "converged");
    for (TrustStore store : List.of(atAlice, atBob)) {
      Removal kept = store.current().orElseThrow().removal(carol.id()).orElseThrow();
      assertEquals(9, kept.lastSequence(), "the higher last sequence: no accepted record is lost");
      assertEquals(bob.id(), kept.removedBy());
    }
  }

  @Test
  void aForgedOrAlteredRemovalIsRefusedAndChangesNothing() throws Exception {
    List<TrustStore> stores = threeDevices();
    TrustStore atBob = stores.get(1);
    TrustedSet removed = stores.get(0).remove(alice, carol.id(), 5);
    byte[] before = onDisk(dir.resolve("bob"));
    // dave, a stranger, could not have removed anyone; nor can alice's removal be re-numbered
    SignedRecord signed = removed.sign(alice);
    TrustedSetBody body = TrustedSetBody.parseFrom(signed.getBody());
    var removal =
        org.gossipdrive.net.wire.proto.DeviceRemovalBody.parseFrom(body.getRemovals(0).getBody());
    SignedRecord renumbered =
        body.getRemovals(0).toBuilder()
            .setBody(removal.toBuilder().setLastSequence(1_000_000).build().toByteString())
            .build();
    SignedRecord tampered =
        SignedRecords.sign(
            TrustedSet.KIND,
            body.toBuilder().setRemovals(0, renumbered).build().toByteArray(),
            bob);
    TrustException e = assertThrows(TrustException.class, () -> atBob.merge(tampered, bob));
    assertTrue(e.getMessage().contains("invalid signature"), e.getMessage());
    SignedRecord byStranger =
        SignedRecords.sign(
            TrustedSet.KIND,
            body.toBuilder()
                .setRemovals(0, SignedRecords.sign(Removal.KIND, removal.toByteArray(), dave))
                .build()
                .toByteArray(),
            bob);
    e = assertThrows(TrustException.class, () -> atBob.merge(byStranger, bob));
    assertTrue(e.getMessage().contains("never a member"), e.getMessage());
    assertArrayEquals(before, onDisk(dir.resolve("bob")));
    assertTrue(atBob.isTrusted(carol.id()));
  }

  @Test
  void removedDevicesCountTowardsTheCap() {
    TrustStore atAlice = TrustStore.open(dir.resolve("alice"));
    TrustedSet full = add(atAlice.found("DRIVE-C", alice, "alice"), carol, "carol", alice);
    for (int i = full.everyDevice().size(); i < TrustedSet.MAX_MEMBERS; i++) {
      full = add(full, DeviceIdentity.generate(), "device " + i, alice);
    }
    TrustedSet withoutCarol = full.removed(alice, carol.id(), 0);
    assertEquals(TrustedSet.MAX_MEMBERS - 1, withoutCarol.members().size());
    TrustException e =
        assertThrows(TrustException.class, () -> add(withoutCarol, bob, "bob", alice));
    assertTrue(e.getMessage().contains("removed ones included"), e.getMessage());
  }

  @Test
  void onlyADeviceRenamesItself() throws Exception {
    List<TrustStore> stores = threeDevices();
    TrustStore atAlice = stores.get(0);
    TrustedSet held = atAlice.current().orElseThrow();
    byte[] before = onDisk(dir.resolve("alice"));

    // bob, a member, renames carol: stamped after her admission, with no signature of hers
    TrustException unsigned =
        assertThrows(
            TrustException.class,
            () ->
                atAlice.merge(
                    withName(held, carol.id(), "thief", held.version() + 1, null), alice));
    assertTrue(
        unsigned.getMessage().contains("only a device renames itself"), unsigned.getMessage());
    // ... or reuses a name proof carol signed for another name
    TrustedSet carolRenamed = held.renamed(carol, "carol's laptop");
    byte[] proof = carolRenamed.member(carol.id()).orElseThrow().nameSignature();
    TrustException reused =
        assertThrows(
            TrustException.class,
            () ->
                atAlice.merge(
                    withName(carolRenamed, carol.id(), "thief", held.version() + 1, proof), alice));
    assertTrue(reused.getMessage().contains("not signed by itself"), reused.getMessage());
    assertArrayEquals(before, onDisk(dir.resolve("alice")));
    assertEquals("carol", atAlice.current().orElseThrow().member(carol.id()).orElseThrow().name());

    // carol's own rename, carried in a set bob signs, is taken
    TrustStore atBob = stores.get(1);
    assertTrue(atBob.merge(carolRenamed.sign(carol), bob));
    assertTrue(atAlice.merge(atBob.signedRecord().orElseThrow(), alice));
    assertEquals(
        "carol's laptop", atAlice.current().orElseThrow().member(carol.id()).orElseThrow().name());
  }

  /** {@code set} re-signed by bob with {@code device} named {@code name} a minute later. */
  private SignedRecord withName(
      TrustedSet set, DeviceId device, String name, long version, byte[] proof) throws Exception {
    TrustedSetBody.Builder body =
        TrustedSetBody.parseFrom(set.sign(alice).getBody()).toBuilder().setVersion(version);
    for (int i = 0; i < body.getDevicesCount(); i++) {
      TrustedDevice d = body.getDevices(i);
      if (d.getDeviceId().equals(device.value())) {
        TrustedDevice.Builder renamed =
            d.toBuilder().setName(name).setNamedAtMillis(d.getNamedAtMillis() + 60_000);
        renamed.setNameSignature(proof == null ? ByteString.EMPTY : ByteString.copyFrom(proof));
        body.setDevices(i, renamed);
      }
    }
    return SignedRecords.sign(TrustedSet.KIND, body.build().toByteArray(), bob);
  }

  @Test
  void aRemovedDevicesRecordsUpToItsRemovalStayValidAndLaterOnesAreRefused() throws Exception {
    List<FileVersion> records;
    try (Replica replica =
        Replica.open(
            dir.resolve("carol-replica"),
            ReplicaOptions.defaults(carol.id()).withSigner(VersionSignatures.signer(carol)))) {
      for (int i = 0; i < 3; i++) {
        replica.writeFile(
            FileId.ROOT, "note" + i, new ByteArrayInputStream(new byte[] {(byte) i}), 0644, true);
      }
      records = replica.recordsAfter(carol.id(), 0, 100);
    }
    long last = records.getLast().authorSequence();
    assertTrue(last >= 3, "carol wrote several records: " + last);
    TrustedSet all =
        add(
            add(TrustedSet.founding("DRIVE-S", alice, "alice"), bob, "bob", alice),
            carol,
            "carol",
            alice);
    for (FileVersion r : records) {
      assertNull(VersionSignatures.problem(r, all), "carol's record before any removal");
    }
    long cutoff = last - 1;
    TrustedSet removed = all.removed(alice, carol.id(), cutoff);
    for (FileVersion r : records) {
      String problem = VersionSignatures.problem(r, removed);
      if (r.authorSequence() <= cutoff) {
        assertNull(problem, "history stays whole: #" + r.authorSequence());
      } else {
        assertTrue(problem != null && problem.contains("was removed"), "#" + r.authorSequence());
      }
    }
  }
}
