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
import org.gossipdrive.net.identity.DeviceIds;
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
    next.checkBounds(current == null ? 0 : current.version(), System.currentTimeMillis());
    next.checkNames();
    next.checkRenames(current);
    AtomicFiles.write(file, record.toByteArray());
    current = next;
  }

  /**
   * Takes in a set a trusted peer sent (trusted-set gossip). It must be of this drive and signed by
   * a device this set trusts now (a removed device's sets, old or new, are refused). Sets merge by
   * union of admissions and removals: a newer set that includes ours replaces it as signed;
   * concurrent changes (two sets each with something the other lacks) become their union, signed
   * here as the next version. A set replayed from before a removal adds nothing, so it changes
   * nothing.
   *
   * @return whether the set here changed (then it should be passed on)
   * @throws TrustException when the record is not acceptable
   */
  public synchronized boolean merge(
      org.gossipdrive.net.wire.proto.SignedRecord record, DeviceIdentity self) {
    TrustedSet incoming = TrustedSet.verify(record);
    TrustedSet mine = current;
    if (mine == null || !mine.driveId().equals(incoming.driveId())) {
      throw new TrustException("a trusted set of another drive: " + incoming.driveId());
    }
    DeviceId signer = DeviceIds.parse(record.getSignerId());
    if (mine.removal(signer).isPresent()) {
      throw new TrustException(
          "a trusted set signed by " + record.getSignerId() + ", who was removed from the drive");
    }
    if (!mine.contains(signer)) {
      throw new TrustException(
          "a trusted set signed by " + record.getSignerId() + ", whom this device does not trust");
    }
    if (mine.includes(incoming)) {
      return false;
    }
    incoming.checkBounds(mine.version(), System.currentTimeMillis());
    incoming.checkNames();
    incoming.checkRenames(mine);
    TrustedSet union = mine.union(incoming);
    if (incoming.includes(mine) && incoming.version() > mine.version()) {
      replaceWith(record, incoming);
    } else if (!union.contains(self.id())) {
      // This device is removed: it signs nothing more, so it cannot sign the union. It keeps a
      // newer set that says it is removed (its own unsent changes no longer matter).
      if (incoming.removal(self.id()).isEmpty() || incoming.version() <= mine.version()) {
        return false;
      }
      replaceWith(record, incoming);
    } else {
      save(union, self);
    }
    return true;
  }

  private void replaceWith(org.gossipdrive.net.wire.proto.SignedRecord record, TrustedSet next) {
    AtomicFiles.write(file, record.toByteArray());
    current = next;
    changes.forEach(Runnable::run);
  }

  private final java.util.List<Runnable> changes =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Runs {@code listener} after every change of the set (a join admitted, a merge). */
  public void onChange(Runnable listener) {
    changes.add(listener);
  }

  /** The current set as this home stores it, signed (for sending to peers). */
  public Optional<org.gossipdrive.net.wire.proto.SignedRecord> signedRecord() {
    if (current == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(SignedRecords.parse(Files.readAllBytes(file)));
    } catch (InvalidProtocolBufferException e) {
      throw new TrustException(file + " is damaged: " + e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * Renames {@code self} in the set (a new version it signs, which trusted-set gossip spreads; the
   * latest rename wins every merge). Only a device renames itself: the name carries its signature.
   */
  public synchronized void rename(DeviceIdentity self, String name) {
    save(requireMember(self).renamed(self, name), self);
  }

  /**
   * Removes {@code device} from the drive, signed by {@code self} (ADR 39): every device that hears
   * of it refuses the device's connections and its records after {@code lastSequence}.
   *
   * @param lastSequence the removed device's highest record sequence held here
   * @throws TrustException when this device may not remove it (it is not a member, or already
   *     removed); the set is unchanged
   */
  public synchronized TrustedSet remove(DeviceIdentity self, DeviceId device, long lastSequence) {
    TrustedSet next = requireMember(self).removed(self, device, lastSequence);
    save(next, self);
    return next;
  }

  private TrustedSet requireMember(DeviceIdentity self) {
    if (current == null) {
      throw new TrustException("this device belongs to no drive yet");
    }
    if (current.removal(self.id()).isPresent()) {
      throw new TrustException("this device was removed from drive " + current.driveId());
    }
    return current;
  }

  /** Replaces the set with a newer version signed by this device. */
  public synchronized void save(TrustedSet next, DeviceIdentity signer) {
    if (current != null && next.version() <= current.version()) {
      throw new TrustException(
          "trusted set v" + next.version() + " is not newer than v" + current.version());
    }
    AtomicFiles.write(file, next.sign(signer).toByteArray());
    current = next;
    changes.forEach(Runnable::run);
  }

  @Override
  public boolean isTrusted(DeviceId device) {
    TrustedSet set = current;
    return set != null && set.contains(device);
  }

  @Override
  public boolean isRemoved(DeviceId device) {
    TrustedSet set = current;
    return set != null && set.removal(device).isPresent();
  }

  /**
   * The highest record sequence of {@code author} this drive accepts: every one for a member, those
   * up to its removal's last sequence for a removed device, none (0) for a stranger.
   */
  public long recordLimit(DeviceId author) {
    TrustedSet set = current;
    if (set == null || set.member(author).isEmpty()) {
      return 0;
    }
    return set.removal(author).map(Removal::lastSequence).orElse(Long.MAX_VALUE);
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
