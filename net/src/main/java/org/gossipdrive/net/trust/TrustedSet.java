package org.gossipdrive.net.trust;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.identity.DeviceIds;
import org.gossipdrive.net.wire.proto.SignedRecord;

/**
 * The devices of one drive: every admission, and a tombstone for every removal (ADR 39). A
 * versioned record, signed by the member that last changed it; immutable, every change makes a new
 * version.
 *
 * <p>Sets merge by union, of admissions and of removals alike, and a removal beats any admission of
 * the same device: a set replayed from before a removal still names the device, but the tombstone
 * is already here and stays.
 */
public final class TrustedSet {
  static final String KIND = "trusted-set";

  /** Devices a drive may ever hold, removed ones included (their tombstones stay). */
  static final int MAX_MEMBERS = 1024;

  /**
   * How far past the set held a received set's version may be (ADR 34). Each change adds one, so no
   * honest history jumps this far; a set claiming {@code Long.MAX_VALUE} would leave no next
   * version and freeze the drive's membership.
   */
  static final long MAX_VERSION_JUMP = 1_000_000;

  /** How far in this device's future a received name, admission or removal stamp may be. */
  static final long MAX_CLOCK_SKEW_MILLIS = java.time.Duration.ofDays(1).toMillis();

  private static final byte[] UNSIGNED = new byte[0];

  /**
   * One device admitted to the drive (and perhaps removed since: see {@link #removal}).
   *
   * @param namedAtMillis when {@code name} was set: at its addition, or by a later rename
   * @param nameSignature the device's own signature over a rename ({@link NameProofs}); empty for
   *     the name given at admission
   */
  public record Member(
      DeviceId id,
      byte[] publicKey,
      String name,
      DeviceId addedBy,
      long addedAtMillis,
      long namedAtMillis,
      byte[] nameSignature) {
    Member(DeviceId id, byte[] publicKey, String name, DeviceId addedBy, long addedAtMillis) {
      this(id, publicKey, name, addedBy, addedAtMillis, addedAtMillis, UNSIGNED);
    }

    boolean renamedItself() {
      return nameSignature.length > 0;
    }

    /**
     * Whether this record's name is the one to keep against {@code other}'s (same device): a name
     * the device signed itself beats one given at admission, then the later stamp wins.
     */
    boolean nameWins(Member other) {
      if (renamedItself() != other.renamedItself()) {
        return renamedItself();
      }
      return namedAtMillis != other.namedAtMillis
          ? namedAtMillis > other.namedAtMillis
          : name.compareTo(other.name) >= 0;
    }

    private boolean sameName(Member other) {
      return name.equals(other.name) && namedAtMillis == other.namedAtMillis;
    }

    private Member namedAs(Member named) {
      return new Member(
          id,
          publicKey,
          named.name,
          addedBy,
          addedAtMillis,
          named.namedAtMillis,
          named.nameSignature);
    }
  }

  private final String driveId;
  private final long version;
  private final Map<DeviceId, Member> devices;
  private final Map<DeviceId, Removal> removals;

  TrustedSet(
      String driveId,
      long version,
      Map<DeviceId, Member> devices,
      Map<DeviceId, Removal> removals) {
    this.driveId = driveId;
    this.version = version;
    this.devices = Collections.unmodifiableMap(new LinkedHashMap<>(devices));
    this.removals = Collections.unmodifiableMap(new LinkedHashMap<>(removals));
  }

  /** The first set of a new drive: just its founder. */
  public static TrustedSet founding(String driveId, DeviceIdentity founder, String name) {
    Member member =
        new Member(
            founder.id(), founder.rawPublicKey(), name, founder.id(), System.currentTimeMillis());
    return new TrustedSet(driveId, 1, Map.of(founder.id(), member), Map.of());
  }

  public String driveId() {
    return driveId;
  }

  public long version() {
    return version;
  }

  /** The devices trusted now: every admitted device not removed. */
  public Collection<Member> members() {
    return devices.values().stream().filter(m -> !removals.containsKey(m.id())).toList();
  }

  /** The removed devices' tombstones. */
  public Collection<Removal> removals() {
    return removals.values();
  }

  /** Whether {@code id} is trusted now: admitted and not removed. */
  public boolean contains(DeviceId id) {
    return devices.containsKey(id) && !removals.containsKey(id);
  }

  /** The device {@code id} as admitted, whether or not it was removed since. */
  public Optional<Member> member(DeviceId id) {
    return Optional.ofNullable(devices.get(id));
  }

  public Optional<Removal> removal(DeviceId id) {
    return Optional.ofNullable(removals.get(id));
  }

  /** Every device ever admitted, removed ones included (for encoding and for names in history). */
  Collection<Member> everyDevice() {
    return devices.values();
  }

  /** This set plus {@code device}, as the next version. */
  public TrustedSet with(DeviceId id, byte[] publicKey, String name, DeviceId addedBy) {
    if (!DeviceIds.fromPublicKey(publicKey).equals(id)) {
      throw new IllegalArgumentException("public key does not belong to " + id);
    }
    if (removals.containsKey(id)) {
      throw new TrustException(
          id + " was removed from this drive and cannot be admitted again; a new home can be");
    }
    if (!devices.containsKey(id)) {
      requireRoom(devices.size() + 1);
    }
    Map<DeviceId, Member> next = new LinkedHashMap<>(devices);
    next.put(id, new Member(id, publicKey.clone(), name, addedBy, System.currentTimeMillis()));
    return new TrustedSet(driveId, after(version), next, removals);
  }

  /**
   * This set with {@code self} named {@code name} from now on, as the next version. The name is
   * signed by {@code self}: no other device can rename it.
   */
  public TrustedSet renamed(DeviceIdentity self, String name) {
    Member old = devices.get(self.id());
    if (old == null || removals.containsKey(self.id())) {
      throw new TrustException(self.id() + " is not a member and cannot be renamed");
    }
    long now = Math.max(System.currentTimeMillis(), Math.addExact(old.namedAtMillis(), 1));
    Member renamed =
        new Member(
            old.id(),
            old.publicKey(),
            name,
            old.addedBy(),
            old.addedAtMillis(),
            now,
            NameProofs.sign(driveId, self, name, now));
    Map<DeviceId, Member> next = new LinkedHashMap<>(devices);
    next.put(self.id(), renamed);
    return new TrustedSet(driveId, after(version), next, removals);
  }

  /**
   * This set with {@code device} removed by {@code remover}, as the next version. Any member may
   * remove any device, itself included (ADR 39).
   *
   * @param lastSequence the removed device's highest record sequence {@code remover} holds
   * @throws TrustException when the remover is not a member or the device is not one any more
   */
  public TrustedSet removed(DeviceIdentity remover, DeviceId device, long lastSequence) {
    if (!contains(remover.id())) {
      throw new TrustException(remover.id() + " is not a member and cannot remove devices");
    }
    if (!devices.containsKey(device)) {
      throw new TrustException(device + " is not a device of this drive");
    }
    if (removals.containsKey(device)) {
      throw new TrustException(device + " was already removed");
    }
    Map<DeviceId, Removal> next = new LinkedHashMap<>(removals);
    next.put(
        device, Removal.sign(driveId, device, lastSequence, remover, System.currentTimeMillis()));
    return new TrustedSet(driveId, after(version), devices, next);
  }

  /**
   * The devices and removals of both sets, as a version after both. For a device in both, the
   * addition is the earlier-added record and the name the winning one ({@link Member#nameWins}); of
   * two removals of one device the same one wins everywhere ({@link Removal#beats}). So every
   * device ends with the same set whatever the order of merges.
   */
  public TrustedSet union(TrustedSet other) {
    if (!driveId.equals(other.driveId)) {
      throw new IllegalArgumentException("sets of different drives");
    }
    Map<DeviceId, Member> merged = new LinkedHashMap<>(devices);
    other.devices.forEach(
        (id, theirs) ->
            merged.merge(
                id,
                theirs,
                (mine, incoming) -> mine.namedAs(mine.nameWins(incoming) ? mine : incoming)));
    requireRoom(merged.size());
    Map<DeviceId, Removal> tombstones = new LinkedHashMap<>(removals);
    other.removals.forEach(
        (id, theirs) ->
            tombstones.merge(
                id, theirs, (mine, incoming) -> mine.beats(incoming) ? mine : incoming));
    return new TrustedSet(driveId, after(Math.max(version, other.version)), merged, tombstones);
  }

  /** The version after {@code version}; never wraps. */
  private static long after(long version) {
    try {
      return Math.addExact(version, 1);
    } catch (ArithmeticException e) {
      throw new TrustException("trusted set v" + version + " has no next version");
    }
  }

  static void requireRoom(int size) {
    if (size > MAX_MEMBERS) {
      throw new TrustException(
          "a drive holds at most "
              + MAX_MEMBERS
              + " devices, removed ones included; this change would make "
              + size);
    }
  }

  /**
   * Checks the names in a received set ({@link org.gossipdrive.net.wire.ReceivedNames}). Not done
   * on load: a set stored before names were checked still opens, and its names are escaped wherever
   * they are printed.
   *
   * @throws TrustException naming the member whose name is refused
   */
  void checkNames() {
    for (Member m : devices.values()) {
      var fault = org.gossipdrive.net.wire.ReceivedNames.fault(m.name());
      if (fault.isPresent()) {
        throw new TrustException("member " + m.id() + "'s name " + fault.get());
      }
    }
  }

  /**
   * Checks that every rename in a received set is the renamed device's own (ADR 39): a name set
   * after admission must carry that device's signature, unless {@code held} (this device's set, or
   * null) already has exactly that name (renames stored before names were signed).
   *
   * @throws TrustException naming the device renamed by someone else
   */
  void checkRenames(TrustedSet held) {
    for (Member m : devices.values()) {
      if (m.renamedItself() || m.namedAtMillis() == m.addedAtMillis()) {
        continue;
      }
      Member mine = held == null ? null : held.devices.get(m.id());
      if (mine == null || !mine.sameName(m)) {
        throw new TrustException(
            "member " + m.id() + " was renamed by another device; only a device renames itself");
      }
    }
  }

  /**
   * Checks what a received set claims against this device's state: a version at most {@link
   * #MAX_VERSION_JUMP} past {@code held} (0 when none is held), and no stamp more than {@link
   * #MAX_CLOCK_SKEW_MILLIS} after {@code nowMillis}.
   *
   * @throws TrustException saying which claim is out of bounds
   */
  void checkBounds(long held, long nowMillis) {
    if (version - held > MAX_VERSION_JUMP) {
      throw new TrustException(
          "trusted set v" + version + " jumps more than " + MAX_VERSION_JUMP + " past v" + held);
    }
    long latest = nowMillis + MAX_CLOCK_SKEW_MILLIS;
    for (Member m : devices.values()) {
      if (m.addedAtMillis() > latest || m.namedAtMillis() > latest) {
        throw new TrustException(
            "member " + m.id() + " carries a time stamp more than a day in the future");
      }
    }
    for (Removal r : removals.values()) {
      if (r.removedAtMillis() > latest) {
        throw new TrustException(
            "the removal of " + r.device() + " is stamped more than a day in the future");
      }
    }
  }

  /**
   * Whether this set already holds everything {@code other} says: each of its devices with a name
   * at least as good, and each of its removals (or the removal that beats it).
   */
  public boolean includes(TrustedSet other) {
    return other.devices.values().stream()
            .allMatch(
                theirs -> {
                  Member mine = devices.get(theirs.id());
                  return mine != null && mine.nameWins(theirs);
                })
        && other.removals.values().stream()
            .allMatch(
                theirs -> {
                  Removal mine = removals.get(theirs.device());
                  return mine != null && mine.beats(theirs);
                });
  }

  public SignedRecord sign(DeviceIdentity signer) {
    return TrustedSetCodec.sign(this, signer);
  }

  /**
   * Checks and reads a signed set: the signer must be a member, the signature must be theirs, every
   * device's id must be the hash of its key, and every name and removal signature must verify.
   *
   * @throws TrustException saying what is wrong
   */
  public static TrustedSet verify(SignedRecord record) {
    return TrustedSetCodec.verify(record);
  }

  /** The removals' signed forms, for encoding. */
  List<SignedRecord> signedRemovals() {
    return removals.values().stream().map(Removal::signed).toList();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrustedSet other
        && driveId.equals(other.driveId)
        && version == other.version
        && devices.keySet().equals(other.devices.keySet())
        && removals.equals(other.removals)
        && devices.values().stream()
            .allMatch(
                m ->
                    Arrays.equals(m.publicKey(), other.devices.get(m.id()).publicKey())
                        && m.name().equals(other.devices.get(m.id()).name()));
  }

  @Override
  public int hashCode() {
    return driveId.hashCode() * 31 + Long.hashCode(version);
  }
}
