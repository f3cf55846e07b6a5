package org.gossipdrive.net.invite;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.identity.DeviceIds;
import org.gossipdrive.net.invite.InvitationException.Reason;
import org.gossipdrive.net.trust.SignedRecords;
import org.gossipdrive.net.wire.Protocol;
import org.gossipdrive.net.wire.proto.InvitationBody;
import org.gossipdrive.net.wire.proto.SignedRecord;

/**
 * An invitation token: who invites (id, key, addresses), into which drive, a one-time secret and an
 * expiry, signed by the inviter. Its text form ({@code gd1.} + base64url) can be pasted into a
 * chat; anyone who reads it can try to join once, before it expires, which is why it is short-lived
 * and single-use.
 */
public record Invitation(InvitationBody body, SignedRecord signed) {
  static final String KIND = "invitation";
  private static final String PREFIX = "gd1.";

  static Invitation create(
      DeviceIdentity inviter,
      String inviterName,
      List<String> addresses,
      String driveId,
      byte[] tokenId,
      byte[] secret,
      Instant expires) {
    InvitationBody body =
        InvitationBody.newBuilder()
            .setFormat(1)
            .setInviterId(inviter.id().value())
            .setInviterPublicKey(ByteString.copyFrom(inviter.rawPublicKey()))
            .setInviterName(inviterName)
            .addAllAddresses(addresses)
            .setDriveId(driveId)
            .setTokenId(ByteString.copyFrom(tokenId))
            .setSecret(ByteString.copyFrom(secret))
            .setExpiresAtMillis(expires.toEpochMilli())
            .build();
    return new Invitation(body, SignedRecords.sign(KIND, body.toByteArray(), inviter));
  }

  public String toText() {
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(signed.toByteArray());
  }

  /**
   * Reads and checks a pasted token: format, signature by the key it names, and that the key
   * matches the inviter's id. Expiry is checked by the caller against its clock.
   */
  public static Invitation parse(String text) throws InvitationException {
    String trimmed = text.strip();
    if (!trimmed.startsWith(PREFIX) || trimmed.length() > 4096) {
      throw new InvitationException(
          Reason.MALFORMED,
          "this is not a GossipDrive invitation (it should start with " + PREFIX + ")");
    }
    SignedRecord signed;
    InvitationBody body;
    try {
      signed =
          SignedRecords.parse(Base64.getUrlDecoder().decode(trimmed.substring(PREFIX.length())));
      body = InvitationBody.parseFrom(signed.getBody());
    } catch (IllegalArgumentException | InvalidProtocolBufferException e) {
      throw new InvitationException(
          Reason.TAMPERED, "the invitation is damaged (was it cut or changed when pasted?)");
    }
    byte[] key = body.getInviterPublicKey().toByteArray();
    if (body.getFormat() != 1
        || key.length != 32
        || body.getTokenId().size() != 16
        || body.getSecret().size() != 32
        || body.getAddressesCount() > Protocol.MAX_ADDRESSES
        || body.getDriveId().isEmpty()
        || body.getDriveId().length() > Protocol.MAX_ID
        || org.gossipdrive.net.wire.ReceivedNames.fault(body.getInviterName()).isPresent()) {
      throw new InvitationException(
          Reason.TAMPERED, "the invitation is damaged (fields out of range)");
    }
    if (!SignedRecords.verify(KIND, signed, key)
        || !DeviceIds.fromPublicKey(key).value().equals(body.getInviterId())
        || !signed.getSignerId().equals(body.getInviterId())) {
      throw new InvitationException(
          Reason.TAMPERED, "the invitation's signature does not match: it was altered or forged");
    }
    return new Invitation(body, signed);
  }

  public DeviceId inviter() {
    return new DeviceId(body.getInviterId());
  }

  public Instant expires() {
    return Instant.ofEpochMilli(body.getExpiresAtMillis());
  }

  public List<InetSocketAddress> addresses() {
    List<InetSocketAddress> out = new ArrayList<>();
    for (String address : body.getAddressesList()) {
      int colon = address.lastIndexOf(':');
      if (colon > 0 && address.length() <= Protocol.MAX_ADDRESS) {
        try {
          String host = address.substring(0, colon).replace("[", "").replace("]", "");
          out.add(new InetSocketAddress(host, Integer.parseInt(address.substring(colon + 1))));
        } catch (IllegalArgumentException ignored) {
          // an unusable address is skipped; the others may work
        }
      }
    }
    return out;
  }
}
