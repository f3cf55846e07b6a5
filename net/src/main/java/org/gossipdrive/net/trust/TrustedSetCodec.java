package org.gossipdrive.net.trust;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.identity.DeviceIds;
import org.gossipdrive.net.wire.Protocol;
import org.gossipdrive.net.wire.proto.SignedRecord;
import org.gossipdrive.net.wire.proto.TrustedDevice;
import org.gossipdrive.net.wire.proto.TrustedSetBody;

/** A {@link TrustedSet} to and from its signed wire and disk form ({@code TrustedSetBody}). */
final class TrustedSetCodec {
  private TrustedSetCodec() {}

  static SignedRecord sign(TrustedSet set, DeviceIdentity signer) {
    if (!maySign(set, signer.id())) {
      throw new IllegalStateException(
          signer.id() + " is not a member and cannot sign the trusted set");
    }
    TrustedSetBody.Builder body =
        TrustedSetBody.newBuilder().setDriveId(set.driveId()).setVersion(set.version());
    for (TrustedSet.Member m : set.everyDevice()) {
      body.addDevices(
          TrustedDevice.newBuilder()
              .setDeviceId(m.id().value())
              .setPublicKey(ByteString.copyFrom(m.publicKey()))
              .setName(m.name())
              .setAddedBy(m.addedBy().value())
              .setAddedAtMillis(m.addedAtMillis())
              .setNamedAtMillis(m.namedAtMillis())
              .setNameSignature(ByteString.copyFrom(m.nameSignature())));
    }
    body.addAllRemovals(set.signedRemovals());
    return SignedRecords.sign(TrustedSet.KIND, body.build().toByteArray(), signer);
  }

  /**
   * Checks and reads a signed set: the signer must be a member (not removed), the signature must be
   * theirs, every device's id must be the hash of its key, every self-signed name and every removal
   * must verify.
   *
   * @throws TrustException saying what is wrong
   */
  static TrustedSet verify(SignedRecord record) {
    TrustedSetBody body;
    try {
      body = TrustedSetBody.parseFrom(record.getBody());
    } catch (InvalidProtocolBufferException e) {
      throw new TrustException("the trusted-device record is unreadable: " + e.getMessage());
    }
    if (body.getDevicesCount() == 0
        || body.getDevicesCount() > TrustedSet.MAX_MEMBERS
        || body.getRemovalsCount() > body.getDevicesCount()
        || body.getVersion() < 1
        || body.getDriveId().isEmpty()
        || body.getDriveId().length() > Protocol.MAX_ID) {
      throw new TrustException("the trusted-device record is malformed");
    }
    String driveId = body.getDriveId();
    Map<DeviceId, TrustedSet.Member> devices = new LinkedHashMap<>();
    for (TrustedDevice device : body.getDevicesList()) {
      TrustedSet.Member member = member(device);
      if (member.renamedItself() && !NameProofs.valid(driveId, member)) {
        throw new TrustException("member " + member.id() + "'s name is not signed by itself");
      }
      devices.put(member.id(), member);
    }
    Map<DeviceId, Removal> removals = new LinkedHashMap<>();
    for (SignedRecord signed : body.getRemovalsList()) {
      Removal removal = Removal.verify(signed, driveId, devices::get);
      removals.merge(
          removal.device(), removal, (mine, incoming) -> mine.beats(incoming) ? mine : incoming);
    }
    TrustedSet set = new TrustedSet(driveId, body.getVersion(), devices, removals);
    TrustedSet.Member signer;
    try {
      signer = devices.get(DeviceIds.parse(record.getSignerId()));
    } catch (IllegalArgumentException e) {
      signer = null;
    }
    if (signer == null || !maySign(set, signer.id())) {
      throw new TrustException(
          "the trusted-device record is signed by "
              + record.getSignerId()
              + ", who is not a member");
    }
    if (!SignedRecords.verify(TrustedSet.KIND, record, signer.publicKey())) {
      throw new TrustException("the trusted-device record's signature is invalid");
    }
    return set;
  }

  /**
   * A set is signed by a member, or by a device that removed itself in it (it left: its last set
   * carries its own removal). A receiver that already knows of a removal refuses the removed
   * device's sets anyway ({@link TrustStore#merge}).
   */
  private static boolean maySign(TrustedSet set, DeviceId signer) {
    return set.contains(signer)
        || set.removal(signer).map(r -> r.removedBy().equals(signer)).orElse(false);
  }

  private static TrustedSet.Member member(TrustedDevice device) {
    byte[] key = device.getPublicKey().toByteArray();
    try {
      DeviceId id = DeviceIds.parse(device.getDeviceId());
      if (key.length != 32 || !DeviceIds.fromPublicKey(key).equals(id)) {
        throw new TrustException("member " + device.getDeviceId() + " does not match its key");
      }
      if (device.getName().length() > Protocol.MAX_NAME) {
        throw new TrustException("member " + device.getDeviceId() + " has an overlong name");
      }
      if (!device.getNameSignature().isEmpty() && device.getNameSignature().size() != 64) {
        throw new TrustException("member " + device.getDeviceId() + "'s name proof is malformed");
      }
      return new TrustedSet.Member(
          id,
          key,
          device.getName(),
          DeviceIds.parse(device.getAddedBy()),
          device.getAddedAtMillis(),
          device.getNamedAtMillis() == 0 ? device.getAddedAtMillis() : device.getNamedAtMillis(),
          device.getNameSignature().toByteArray());
    } catch (IllegalArgumentException e) {
      throw new TrustException(
          "member " + device.getDeviceId() + " is malformed: " + e.getMessage());
    }
  }
}
