package org.gossipdrive.net.trust;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Comparator;
import java.util.function.Function;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.identity.DeviceIds;
import org.gossipdrive.net.wire.proto.DeviceRemovalBody;
import org.gossipdrive.net.wire.proto.SignedRecord;

/**
 * A tombstone: member {@code removedBy} removed {@code device} from the drive (ADR 39). It is
 * signed on its own by the remover, so it travels inside any later set whoever signs that set, and
 * no merger can forge or alter it. Its records up to {@code lastSequence} stay valid history; later
 * ones are refused.
 *
 * @param lastSequence the removed device's highest record sequence the remover held when it removed
 *     it
 * @param signed the removal as its remover signed it (kept byte for byte, to pass on)
 */
public record Removal(
    DeviceId device,
    long lastSequence,
    DeviceId removedBy,
    long removedAtMillis,
    SignedRecord signed) {
  static final String KIND = "device-removal";

  /**
   * Which of two removals of the same device counts, the same on every device whatever the order
   * they arrive in: the higher last sequence (no record an honest remover had accepted becomes
   * invalid), then the earlier removal, then the remover's id.
   */
  private static final Comparator<Removal> WINNER =
      Comparator.comparingLong(Removal::lastSequence)
          .thenComparing(Comparator.comparingLong(Removal::removedAtMillis).reversed())
          .thenComparing(r -> r.removedBy().value(), Comparator.reverseOrder());

  /** Whether this removal, rather than {@code other} (of the same device), is the one kept. */
  boolean beats(Removal other) {
    return WINNER.compare(this, other) >= 0;
  }

  /** Whether a record of the removed device with this sequence is still valid history. */
  public boolean keeps(long authorSequence) {
    return authorSequence <= lastSequence;
  }

  static Removal sign(
      String driveId,
      DeviceId device,
      long lastSequence,
      DeviceIdentity remover,
      long removedAtMillis) {
    if (lastSequence < 0) {
      throw new TrustException("a removal's last sequence cannot be negative: " + lastSequence);
    }
    DeviceRemovalBody body =
        DeviceRemovalBody.newBuilder()
            .setDriveId(driveId)
            .setDeviceId(device.value())
            .setLastSequence(lastSequence)
            .setRemovedAtMillis(removedAtMillis)
            .build();
    return new Removal(
        device,
        lastSequence,
        remover.id(),
        removedAtMillis,
        SignedRecords.sign(KIND, body.toByteArray(), remover));
  }

  /**
   * Checks and reads a removal carried in a set of drive {@code driveId}: both the removed device
   * and the remover must be devices of that set ({@code devices}, removed ones included), and the
   * signature must be the remover's.
   *
   * @throws TrustException saying what is wrong
   */
  static Removal verify(
      SignedRecord record, String driveId, Function<DeviceId, TrustedSet.Member> devices) {
    DeviceRemovalBody body;
    try {
      body = DeviceRemovalBody.parseFrom(record.getBody());
    } catch (InvalidProtocolBufferException e) {
      throw new TrustException("a removal in the trusted set is unreadable: " + e.getMessage());
    }
    if (record.getSignature().size() != 64) {
      throw new TrustException("a removal in the trusted set has a malformed signature");
    }
    if (!body.getDriveId().equals(driveId)) {
      throw new TrustException("a removal in the trusted set belongs to another drive");
    }
    if (body.getLastSequence() < 0 || body.getRemovedAtMillis() < 0) {
      throw new TrustException("the removal of " + body.getDeviceId() + " is malformed");
    }
    DeviceId device;
    DeviceId remover;
    try {
      device = DeviceIds.parse(body.getDeviceId());
      remover = DeviceIds.parse(record.getSignerId());
    } catch (IllegalArgumentException e) {
      throw new TrustException("a removal in the trusted set is malformed: " + e.getMessage());
    }
    if (devices.apply(device) == null) {
      throw new TrustException("a removal names " + device + ", who was never a member");
    }
    TrustedSet.Member signer = devices.apply(remover);
    if (signer == null) {
      throw new TrustException(
          "the removal of " + device + " is signed by " + remover + ", who was never a member");
    }
    if (!SignedRecords.verify(KIND, record, signer.publicKey())) {
      throw new TrustException("the removal of " + device + " has an invalid signature");
    }
    return new Removal(device, body.getLastSequence(), remover, body.getRemovedAtMillis(), record);
  }
}
