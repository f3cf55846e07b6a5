package org.gossipdrive.net.invite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.invite.InvitationException.Reason;
import org.gossipdrive.net.transport.Connection;
import org.gossipdrive.net.transport.FrameListener;
import org.gossipdrive.net.transport.Transport;
import org.gossipdrive.net.transport.TransportConfig;
import org.gossipdrive.net.trust.TrustStore;
import org.gossipdrive.net.trust.TrustedSet;
import org.gossipdrive.net.wire.proto.Frame;
import org.gossipdrive.net.wire.proto.Lane;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InvitationTest {
  @TempDir Path aliceHome;
  @TempDir Path bobHome;
  @TempDir Path carolHome;

  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now.get();
        }
      };

  private DeviceIdentity alice;
  private DeviceIdentity bob;
  private TrustStore aliceTrust;
  private TrustStore bobTrust;
  private InvitationBook book;
  private Transport aliceTransport;
  private InetSocketAddress aliceAddress;

  @BeforeEach
  void aliceFoundsADriveAndListens() throws Exception {
    alice = DeviceIdentity.generate();
    bob = DeviceIdentity.generate();
    aliceTrust = TrustStore.open(aliceHome);
    aliceTrust.found("DRIVE-A", alice, "alice");
    bobTrust = TrustStore.open(bobHome);
    book = new InvitationBook(aliceHome, alice, "alice", aliceTrust, clock);
    aliceTransport =
        new Transport(
            alice,
            "DRIVE-A",
            "alice",
            aliceTrust,
            TransportConfig.defaults(),
            new FrameListener() {
              @Override
              public void onFrame(Connection connection, Frame frame) {}
            });
    aliceTransport.setJoinHandler(book);
    aliceAddress = aliceTransport.listen(new InetSocketAddress("127.0.0.1", 0));
  }

  @AfterEach
  void stop() {
    aliceTransport.close();
  }

  private String token() {
    return book.issue(Duration.ofMinutes(10), List.of("127.0.0.1:" + aliceAddress.getPort()))
        .toText();
  }

  private Joiner joiner() {
    return new Joiner(bob, "bob", bobTrust, TransportConfig.defaults(), clock);
  }

  private byte[] bytes(Path file) throws Exception {
    return Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
  }

  @Test
  void bobJoinsWithAPastedTokenAndBothSidesTrustEachOther() throws Exception {
    String token = token();
    assertTrue(token.startsWith("gd1.") && token.length() < 600, token);
    TrustedSet set = joiner().join(token);
    assertEquals("DRIVE-A", set.driveId());
    assertTrue(set.contains(alice.id()) && set.contains(bob.id()));
    assertEquals(2, set.version());
    assertTrue(aliceTrust.isTrusted(bob.id()));
    assertEquals(set, bobTrust.current().orElseThrow());
    assertEquals(
        set, TrustStore.open(bobHome).current().orElseThrow(), "bob's copy survives a restart");
    // bob is now a trusted peer on the normal lanes
    try (Transport bobTransport =
        new Transport(bob, "DRIVE-A", "bob", bobTrust, TransportConfig.defaults(), (c, f) -> {})) {
      assertEquals(
          Lane.CONTROL, bobTransport.connect(aliceAddress, alice.id(), Lane.CONTROL).lane());
    }
  }

  @Test
  void aUsedTokenCannotBeUsedAgain() throws Exception {
    String token = token();
    joiner().join(token);
    byte[] trustBefore = bytes(aliceHome.resolve("trusted-devices.bin"));
    // With no invitation open and unused, alice no longer lets unknown keys handshake at all.
    assertFalse(aliceTrust.admitsJoiners());
    DeviceIdentity carol = DeviceIdentity.generate();
    java.util.function.Supplier<Joiner> carolJoins =
        () ->
            new Joiner(
                carol, "carol", TrustStore.open(carolHome), TransportConfig.defaults(), clock);
    InvitationException refused =
        assertThrows(InvitationException.class, () -> carolJoins.get().join(token));
    assertEquals(Reason.NOT_ADMITTED, refused.reason(), refused.getMessage());
    // While another invitation is open, the inviter answers, and says why.
    token();
    InvitationException e =
        assertThrows(InvitationException.class, () -> carolJoins.get().join(token));
    assertEquals(Reason.ALREADY_USED, e.reason());
    assertFalse(aliceTrust.isTrusted(carol.id()));
    assertTrue(
        Arrays.equals(trustBefore, bytes(aliceHome.resolve("trusted-devices.bin"))),
        "nothing changed");
  }

  @Test
  void aJoinerNamedWithAnEscapeSequenceIsRefusedAndTheTokenStaysUnspent() throws Exception {
    String token = token();
    byte[] trustBefore = bytes(aliceHome.resolve("trusted-devices.bin"));
    byte[] tokensBefore = bytes(aliceHome.resolve("invitations.bin"));
    // A name typed into device.name by hand: never sent, the inviter would refuse it.
    Joiner hostile =
        new Joiner(bob, "\u001b]0;pwned\u0007", bobTrust, TransportConfig.defaults(), clock);
    InvitationException e = assertThrows(InvitationException.class, () -> hostile.join(token));
    assertEquals(Reason.BAD_NAME, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains("control character U+001B"), e.getMessage());
    assertTrue(e.getMessage().contains("--name"), e.getMessage());
    assertFalse(e.getMessage().contains("\u001b"), "the refusal never echoes the name");
    assertFalse(aliceTrust.isTrusted(bob.id()));
    assertTrue(
        Arrays.equals(trustBefore, bytes(aliceHome.resolve("trusted-devices.bin"))),
        "nothing changed");
    assertTrue(
        Arrays.equals(tokensBefore, bytes(aliceHome.resolve("invitations.bin"))),
        "the token is not spent");
    assertEquals(2, joiner().join(token).version(), "the same token works under a clean name");
  }

  @Test
  void aJoinToAFullDriveIsRefusedAndTheTokenStaysUnspent() throws Exception {
    TrustedSet full = aliceTrust.current().orElseThrow();
    while (full.members().size() < 1024) {
      DeviceIdentity other = DeviceIdentity.generate();
      full = full.with(other.id(), other.rawPublicKey(), "other", alice.id());
    }
    aliceTrust.save(full, alice);
    String token = token();
    byte[] trustBefore = bytes(aliceHome.resolve("trusted-devices.bin"));
    byte[] tokensBefore = bytes(aliceHome.resolve("invitations.bin"));
    InvitationException e = assertThrows(InvitationException.class, () -> joiner().join(token));
    assertTrue(
        Arrays.equals(tokensBefore, bytes(aliceHome.resolve("invitations.bin"))),
        "the token is not spent");
    assertEquals(Reason.DRIVE_FULL, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains("at most 1024"), e.getMessage());
    assertFalse(aliceTrust.isTrusted(bob.id()));
    assertTrue(
        Arrays.equals(trustBefore, bytes(aliceHome.resolve("trusted-devices.bin"))),
        "nothing changed");
    assertTrue(bobTrust.current().isEmpty());
  }

  @Test
  void anExpiredTokenIsRefusedOnBothSides() throws Exception {
    String token = token();
    now.set(now.get().plus(Duration.ofMinutes(11)));
    InvitationException local = assertThrows(InvitationException.class, () -> joiner().join(token));
    assertEquals(Reason.EXPIRED, local.reason());
    assertFalse(aliceTrust.admitsJoiners(), "an expired invitation admits no unknown key");
    token(); // another one open, so the inviter answers the late joiner
    // A joiner with a slow clock still meets the inviter's check.
    Joiner slowClock =
        new Joiner(
            bob,
            "bob",
            bobTrust,
            TransportConfig.defaults(),
            Clock.fixed(now.get().minus(Duration.ofHours(1)), ZoneOffset.UTC));
    InvitationException remote =
        assertThrows(InvitationException.class, () -> slowClock.join(token));
    assertEquals(Reason.EXPIRED, remote.reason());
    assertFalse(aliceTrust.isTrusted(bob.id()));
    assertTrue(bobTrust.current().isEmpty());
  }

  @Test
  void aTamperedTokenIsRefusedWithoutContactingAnyone() throws Exception {
    String token = token();
    for (int position : new int[] {10, token.length() / 2, token.length() - 3}) {
      char replaced = token.charAt(position) == 'A' ? 'B' : 'A';
      String tampered = token.substring(0, position) + replaced + token.substring(position + 1);
      InvitationException e =
          assertThrows(InvitationException.class, () -> joiner().join(tampered));
      assertEquals(Reason.TAMPERED, e.reason(), e.getMessage());
    }
    assertEquals(
        Reason.MALFORMED,
        assertThrows(InvitationException.class, () -> joiner().join("hello")).reason());
    assertFalse(aliceTrust.isTrusted(bob.id()));
    joiner().join(token); // the untouched token still works: nothing was consumed
  }

  @Test
  void aWrongSecretIsRefusedAndDoesNotConsumeTheToken() throws Exception {
    String token = token();
    Invitation invitation = Invitation.parse(token);
    byte[] wrong = new byte[32];
    InvitationException e =
        assertThrows(InvitationException.class, () -> joiner().exchange(invitation, wrong));
    assertEquals(Reason.WRONG_SECRET, e.reason());
    assertFalse(aliceTrust.isTrusted(bob.id()));
    assertTrue(bobTrust.current().isEmpty());
    joiner().join(token);
    assertTrue(aliceTrust.isTrusted(bob.id()));
  }

  @Test
  void aDeviceOfAnotherDriveIsToldSoAndChangesNothing() throws Exception {
    bobTrust.found("DRIVE-B", bob, "bob");
    InvitationException e = assertThrows(InvitationException.class, () -> joiner().join(token()));
    assertEquals(Reason.WRONG_DRIVE, e.reason());
    assertTrue(
        e.getMessage().contains("DRIVE-B") && e.getMessage().contains("DRIVE-A"), e.getMessage());
    assertEquals("DRIVE-B", bobTrust.driveId().orElseThrow());
    assertFalse(aliceTrust.isTrusted(bob.id()));
  }

  @Test
  void withoutAnOpenInvitationUnknownDevicesCannotEvenHandshake() throws Exception {
    assertFalse(aliceTrust.admitsJoiners());
    try (Transport stranger =
        new Transport(bob, "", "bob", bobTrust, TransportConfig.defaults(), (c, f) -> {})) {
      assertThrows(
          java.io.IOException.class, () -> stranger.connect(aliceAddress, alice.id(), Lane.JOIN));
    }
    token();
    assertTrue(aliceTrust.admitsJoiners());
    // with an invitation open, an unknown device may connect but only on the join lane
    try (Transport stranger =
        new Transport(bob, "", "bob", bobTrust, TransportConfig.defaults(), (c, f) -> {})) {
      assertThrows(
          java.io.IOException.class,
          () -> stranger.connect(aliceAddress, alice.id(), Lane.CONTROL));
    }
  }
}
