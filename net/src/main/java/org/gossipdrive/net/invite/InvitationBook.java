package org.gossipdrive.net.invite;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLKeyException;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.net.AtomicFiles;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.transport.Connection;
import org.gossipdrive.net.transport.JoinHandler;
import org.gossipdrive.net.trust.TrustStore;
import org.gossipdrive.net.trust.TrustedSet;
import org.gossipdrive.net.wire.proto.IssuedInvitation;
import org.gossipdrive.net.wire.proto.IssuedInvitations;
import org.gossipdrive.net.wire.proto.JoinError;
import org.gossipdrive.net.wire.proto.JoinRequest;
import org.gossipdrive.net.wire.proto.JoinResult;

/**
 * The inviter's side: issues tokens, remembers them (0600 file, they hold secrets), and answers
 * join requests. A successful join consumes the token and adds the joiner to the trusted set in one
 * step; every refusal changes nothing.
 */
public final class InvitationBook implements JoinHandler {
  private static final System.Logger LOG = System.getLogger(InvitationBook.class.getName());
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int MAX_OPEN = 256;
  private static final Duration ANSWER_GRACE = Duration.ofDays(1);

  private final Path file;
  private final DeviceIdentity identity;
  private final String deviceName;
  private final TrustStore trust;
  private final Clock clock;
  private volatile IssuedInvitations issued;

  public InvitationBook(
      Path home, DeviceIdentity identity, String deviceName, TrustStore trust, Clock clock) {
    this.file = home.resolve("invitations.bin");
    this.identity = identity;
    this.deviceName = deviceName;
    this.trust = trust;
    this.clock = clock;
    this.issued = load(file);
    trust.setJoinAdmission(this::hasOpenInvitation);
  }

  private static IssuedInvitations load(Path file) {
    if (!Files.exists(file)) {
      return IssuedInvitations.getDefaultInstance();
    }
    try {
      return IssuedInvitations.parseFrom(Files.readAllBytes(file));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(file + " is damaged: " + e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * Issues a single-use token valid for {@code validity}, naming the addresses to reach this
   * device.
   */
  public synchronized Invitation issue(Duration validity, List<String> addresses) {
    String driveId =
        trust
            .driveId()
            .orElseThrow(() -> new IllegalStateException("this device belongs to no drive yet"));
    byte[] tokenId = new byte[16];
    byte[] secret = new byte[32];
    RANDOM.nextBytes(tokenId);
    RANDOM.nextBytes(secret);
    Instant expires = clock.instant().plus(validity);
    Invitation invitation =
        Invitation.create(identity, deviceName, addresses, driveId, tokenId, secret, expires);
    IssuedInvitations.Builder next = pruned().toBuilder();
    next.addItems(
        IssuedInvitation.newBuilder()
            .setTokenId(ByteString.copyFrom(tokenId))
            .setSecret(ByteString.copyFrom(secret))
            .setExpiresAtMillis(expires.toEpochMilli())
            .setDriveId(driveId));
    persist(next.build());
    return invitation;
  }

  /** The device that used {@code invitation}, once it has been used. */
  public Optional<String> usedBy(Invitation invitation) {
    return issued.getItemsList().stream()
        .filter(i -> i.getTokenId().equals(invitation.body().getTokenId()) && i.getUsed())
        .map(IssuedInvitation::getUsedBy)
        .findFirst();
  }

  /**
   * Drops tokens that expired over a day ago (used ones stay until then, so reuse is named as
   * such).
   */
  private IssuedInvitations pruned() {
    long horizon = clock.millis() - ANSWER_GRACE.toMillis();
    List<IssuedInvitation> kept =
        issued.getItemsList().stream().filter(i -> i.getExpiresAtMillis() > horizon).toList();
    if (kept.size() >= MAX_OPEN) {
      throw new IllegalStateException("too many open invitations (" + kept.size() + ")");
    }
    return IssuedInvitations.newBuilder().addAllItems(kept).build();
  }

  private void persist(IssuedInvitations next) {
    AtomicFiles.write(file, next.toByteArray());
    issued = next;
  }

  /**
   * Whether an unknown key may complete a handshake: only while an invitation is unexpired and
   * unused (ADR 35). A late or reused token is then refused in the handshake, not answered.
   */
  private boolean hasOpenInvitation() {
    long now = clock.millis();
    IssuedInvitations current = issued;
    return current.getItemsList().stream()
        .anyMatch(i -> !i.getUsed() && i.getExpiresAtMillis() > now);
  }

  @Override
  public synchronized JoinResult onJoinRequest(Connection connection, JoinRequest request) {
    DeviceId joiner = connection.peer();
    Optional<IssuedInvitation> found =
        issued.getItemsList().stream()
            .filter(i -> i.getTokenId().equals(request.getTokenId()))
            .findFirst();
    if (found.isEmpty()) {
      return refuse(joiner, JoinError.UNKNOWN_TOKEN, "this device did not issue that invitation");
    }
    IssuedInvitation invitation = found.get();
    Optional<String> drive = trust.driveId();
    if (drive.isEmpty()
        || !drive.get().equals(invitation.getDriveId())
        || (!request.getDriveId().isEmpty()
            && !request.getDriveId().equals(invitation.getDriveId()))) {
      return refuse(
          joiner,
          JoinError.WRONG_DRIVE,
          "the invitation is for drive "
              + invitation.getDriveId()
              + ", which this device does not serve");
    }
    if (invitation.getUsed()) {
      return refuse(joiner, JoinError.ALREADY_USED, "the invitation was already used");
    }
    var badName = org.gossipdrive.net.wire.ReceivedNames.fault(request.getDeviceName());
    if (badName.isPresent()) {
      // Before the token is spent: the joiner may try again under another name.
      return refuse(
          joiner,
          JoinError.BAD_NAME,
          "the joining device's name "
              + badName.get()
              + "; give it a printable name (gossipdrive join --name NAME)");
    }
    if (invitation.getExpiresAtMillis() <= clock.millis()) {
      return refuse(
          joiner,
          JoinError.EXPIRED,
          "the invitation expired at " + Instant.ofEpochMilli(invitation.getExpiresAtMillis()));
    }
    byte[] expected;
    try {
      expected =
          JoinProof.compute(
              invitation.getSecret().toByteArray(),
              connection,
              request.getTokenId().toByteArray(),
              joiner);
    } catch (SSLKeyException e) {
      return refuse(
          joiner, JoinError.WRONG_SECRET, "the proof cannot be checked on this connection");
    }
    if (!JoinProof.matches(expected, request.getProof().toByteArray())) {
      return refuse(
          joiner, JoinError.WRONG_SECRET, "the proof does not match the invitation's secret");
    }
    TrustedSet current = trust.current().orElseThrow();
    TrustedSet next;
    try {
      // Before the token is spent: a join that cannot be admitted changes nothing.
      next =
          current.with(joiner, connection.peerPublicKey(), request.getDeviceName(), identity.id());
    } catch (org.gossipdrive.net.trust.TrustException e) {
      return refuse(joiner, JoinError.DRIVE_FULL, e.getMessage());
    }
    IssuedInvitations.Builder consumed = issued.toBuilder();
    for (int i = 0; i < consumed.getItemsCount(); i++) {
      if (Arrays.equals(
          consumed.getItems(i).getTokenId().toByteArray(), request.getTokenId().toByteArray())) {
        consumed.setItems(
            i, consumed.getItems(i).toBuilder().setUsed(true).setUsedBy(joiner.value()));
      }
    }
    // Consume first: if the process dies between the two writes, the token is spent and the
    // joiner is not trusted, which is the safe side (a new invitation fixes it).
    persist(consumed.build());
    trust.save(next, identity);
    LOG.log(
        Level.INFO,
        "device {0} ({1}) joined drive {2}",
        joiner,
        request.getDeviceName(),
        next.driveId());
    return JoinResult.newBuilder()
        .setAccepted(true)
        .setTrustedDevices(next.sign(identity).toByteString())
        .build();
  }

  private static JoinResult refuse(DeviceId joiner, JoinError error, String message) {
    LOG.log(Level.WARNING, "refused join from {0}: {1}", joiner, message);
    return JoinResult.newBuilder().setAccepted(false).setError(error).setMessage(message).build();
  }
}
