package org.gossipdrive.net.trust;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.net.AtomicFiles;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.transport.TrustPolicy;

/**
 * The home's copy of the trusted set ({@code trusted-devices.bin}), checked on every load, replaced
 * atomically, and only ever by a newer version of the same drive.
 */
public final class TrustStore implements TrustPolicy {
  private final Path file;
  private volatile TrustedSet current;
  private volatile java.util.function.BooleanSupplier joinAdmission = () -> false;

  private TrustStore(Path file, TrustedSet current) {
    this.file = file;
    this.current = current;
  }

  public static TrustStore open(Path home) {
    Path file = home.resolve("trusted-devices.bin");
    if (!Files.exists(file)) {
      return new TrustStore(file, null);
    }
    try {
      return new TrustStore(file, TrustedSet.verify(SignedRecords.parse(Files.readAllBytes(file))));
    } catch (InvalidProtocolBufferException e) {
      throw new TrustException(file + " is damaged: " + e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** The set, or empty while this home belongs to no drive yet. */
  public Optional<TrustedSet> current() {
    return Optional.ofNullable(current);
  }

  public Optional<String> driveId() {
    return current().map(TrustedSet::driveId);
  }

  /** Creates a new drive with this device as its only member. */
  public synchronized TrustedSet found(String driveId, DeviceIdentity founder, String name) {
    if (current != null) {
      throw new TrustException("this home already belongs to drive " + current.driveId());
    }
    TrustedSet set = TrustedSet.founding(driveId, founder, name);
    save(set, founder);
    return set;
  }

  /** Records a newer set signed by someone else (e.g. received when joining). */
  public synchronized void accept(org.gossipdrive.net.wire.proto.SignedRecord record) {
    TrustedSet next = TrustedSet.verify(record);
    if (current != null
        && (!current.driveId().equals(next.driveId()) || next.version() <= current.version())) {
      throw new TrustException(
          "refusing trusted set v" + next.version() + " of drive " + next.driveId());
    }
    AtomicFiles.write(file, record.toByteArray(), false);
    current = next;
  }

  /** Replaces the set with a newer version signed by this device. */
  public synchronized void save(TrustedSet next, DeviceIdentity signer) {
    if (current != null && next.version() <= current.version()) {
      throw new TrustException(
          "trusted set v" + next.version() + " is not newer than v" + current.version());
    }
    AtomicFiles.write(file, next.sign(signer).toByteArray(), false);
    current = next;
  }

  @Override
  public boolean isTrusted(DeviceId device) {
    TrustedSet set = current;
    return set != null && set.contains(device);
  }

  @Override
  public boolean admitsJoiners() {
    return joinAdmission.getAsBoolean();
  }

  /** Installed by the invitation book: true while one of its invitations has not expired. */
  public void setJoinAdmission(java.util.function.BooleanSupplier admission) {
    this.joinAdmission = admission;
  }
}
