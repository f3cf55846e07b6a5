package org.gossipdrive.net.invite;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.invite.InvitationException.Reason;
import org.gossipdrive.net.transport.Connection;
import org.gossipdrive.net.transport.FrameListener;
import org.gossipdrive.net.transport.Transport;
import org.gossipdrive.net.transport.TransportConfig;
import org.gossipdrive.net.transport.TrustPolicy;
import org.gossipdrive.net.trust.SignedRecords;
import org.gossipdrive.net.trust.TrustException;
import org.gossipdrive.net.trust.TrustStore;
import org.gossipdrive.net.trust.TrustedSet;
import org.gossipdrive.net.wire.proto.Frame;
import org.gossipdrive.net.wire.proto.JoinRequest;
import org.gossipdrive.net.wire.proto.JoinResult;
import org.gossipdrive.net.wire.proto.Lane;
import org.gossipdrive.net.wire.proto.SignedRecord;

/**
 * The joining side of an invitation: check the token, reach the inviter, prove the secret, store
 * the trust it grants.
 */
public final class Joiner {
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

  private final DeviceIdentity identity;
  private final String deviceName;
  private final TrustStore trust;
  private final TransportConfig config;
  private final Clock clock;

  public Joiner(
      DeviceIdentity identity,
      String deviceName,
      TrustStore trust,
      TransportConfig config,
      Clock clock) {
    this.identity = identity;
    this.deviceName = deviceName;
    this.trust = trust;
    this.config = config;
    this.clock = clock;
  }

  /**
   * Joins the drive the token invites to; returns the trusted set that now includes this device.
   */
  public TrustedSet join(String token) throws InvitationException {
    Invitation invitation = Invitation.parse(token);
    if (!invitation.expires().isAfter(clock.instant())) {
      throw new InvitationException(
          Reason.EXPIRED,
          "the invitation expired at " + invitation.expires() + "; ask for a new one");
    }
    String drive = invitation.body().getDriveId();
    if (trust.driveId().isPresent() && !trust.driveId().get().equals(drive)) {
      throw new InvitationException(
          Reason.WRONG_DRIVE,
          "this device already belongs to drive "
              + trust.driveId().get()
              + "; the invitation is for drive "
              + drive);
    }
    if (trust.driveId().isPresent()) {
      throw new InvitationException(
          Reason.ALREADY_MEMBER,
          "this device already belongs to drive " + drive + "; start it with: gossipdrive up");
    }
    var badName = org.gossipdrive.net.wire.ReceivedNames.fault(deviceName);
    if (badName.isPresent()) {
      // The inviter would refuse it (in the Hello, before the join request is read): say why here.
      throw new InvitationException(
          Reason.BAD_NAME,
          "this device's name "
              + badName.get()
              + "; give it a printable name (gossipdrive join --name NAME)");
    }
    if (invitation.addresses().isEmpty()) {
      throw new InvitationException(
          Reason.MALFORMED, "the invitation names no address to reach the inviter");
    }
    return exchange(invitation, invitation.body().getSecret().toByteArray());
  }

  /** The join exchange itself; {@code secret} is a parameter so tests can present a wrong one. */
  TrustedSet exchange(Invitation invitation, byte[] secret) throws InvitationException {
    CompletableFuture<JoinResult> answer = new CompletableFuture<>();
    FrameListener listener =
        new FrameListener() {
          @Override
          public void onFrame(Connection connection, Frame frame) {
            if (frame.hasJoinResult()) {
              answer.complete(frame.getJoinResult());
            }
          }

          @Override
          public void onClose(Connection connection, String reason) {
            answer.completeExceptionally(new IOException(reason));
          }
        };
    TrustPolicy nobody = TrustPolicy.of(device -> false);
    DeviceId inviter = invitation.inviter();
    try (Transport transport = new Transport(identity, "", deviceName, nobody, config, listener)) {
      Connection connection = null;
      IOException last = null;
      for (InetSocketAddress address : invitation.addresses()) {
        try {
          connection = transport.connect(address, inviter, Lane.JOIN);
          break;
        } catch (IOException e) {
          last = e;
        }
      }
      if (connection == null && refusedInHandshake(last)) {
        // An inviter admits unknown keys only while an invitation is open and unused (ADR 35):
        // it reached the inviter, and the inviter would not talk.
        throw new InvitationException(
            Reason.NOT_ADMITTED,
            "the inviter "
                + inviter
                + " is not admitting new devices: the invitation was already used, or the"
                + " inviter no longer has it open; ask for a new one");
      }
      if (connection == null) {
        throw new InvitationException(
            Reason.UNREACHABLE,
            "cannot reach the inviter "
                + inviter
                + " at "
                + invitation.body().getAddressesList()
                + (last == null ? "" : ": " + last.getMessage()));
      }
      byte[] tokenId = invitation.body().getTokenId().toByteArray();
      JoinRequest request =
          JoinRequest.newBuilder()
              .setTokenId(ByteString.copyFrom(tokenId))
              .setProof(
                  ByteString.copyFrom(
                      JoinProof.compute(secret, connection, tokenId, identity.id())))
              .setDeviceName(deviceName)
              .setDriveId(invitation.body().getDriveId())
              .build();
      connection.send(Frame.newBuilder().setJoinRequest(request).build());
      JoinResult result = answer.get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      connection.close("join finished");
      return accept(invitation, result);
    } catch (IOException | ExecutionException e) {
      throw new InvitationException(
          Reason.UNREACHABLE, "the inviter dropped the connection: " + e.getMessage());
    } catch (TimeoutException e) {
      throw new InvitationException(
          Reason.UNREACHABLE,
          "the inviter did not answer within " + ANSWER_TIMEOUT.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InvitationException(Reason.UNREACHABLE, "interrupted");
    }
  }

  /**
   * Whether {@code failure} was the peer refusing this key, not a network failure. In TLS 1.3 the
   * client's side of the handshake ends before the server has checked the client's key, so a
   * refusal arrives either as an alert or as the server closing while the Hello is being written
   * (broken pipe, reset): both mean something answered at that address and would not talk.
   */
  private static boolean refusedInHandshake(IOException failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof javax.net.ssl.SSLException) {
        return true;
      }
      if (t instanceof java.net.SocketException
          && !(t instanceof java.net.ConnectException)
          && !(t instanceof java.net.NoRouteToHostException)
          && !(t instanceof java.net.PortUnreachableException)) {
        return true;
      }
    }
    return false;
  }

  private TrustedSet accept(Invitation invitation, JoinResult result) throws InvitationException {
    if (!result.getAccepted()) {
      Reason reason =
          switch (result.getError()) {
            case EXPIRED -> Reason.EXPIRED;
            case ALREADY_USED -> Reason.ALREADY_USED;
            case WRONG_SECRET -> Reason.WRONG_SECRET;
            case WRONG_DRIVE -> Reason.WRONG_DRIVE;
            case DRIVE_FULL -> Reason.DRIVE_FULL;
            case BAD_NAME -> Reason.BAD_NAME;
            default -> Reason.UNKNOWN_TOKEN;
          };
      throw new InvitationException(reason, "the inviter refused: " + result.getMessage());
    }
    try {
      SignedRecord record = SignedRecords.parse(result.getTrustedDevices().toByteArray());
      TrustedSet set = TrustedSet.verify(record);
      if (!record.getSignerId().equals(invitation.inviter().value())
          || !set.driveId().equals(invitation.body().getDriveId())
          || !set.contains(identity.id())) {
        throw new InvitationException(
            Reason.TAMPERED, "the inviter's answer does not grant this device access to the drive");
      }
      trust.accept(record);
      return set;
    } catch (InvalidProtocolBufferException | TrustException e) {
      throw new InvitationException(
          Reason.TAMPERED, "the inviter's answer is invalid: " + e.getMessage());
    }
  }
}
