package org.gossipdrive.net.trust;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.identity.DeviceIds;
import org.gossipdrive.net.wire.Protocol;
import org.gossipdrive.net.wire.proto.SignedRecord;
import org.gossipdrive.net.wire.proto.TrustedDevice;
import org.gossipdrive.net.wire.proto.TrustedSetBody;

/**
 * The devices trusted in one drive: a versioned record, signed by the member that last changed it.
 * Immutable; every change makes a new version.
 */
public final class TrustedSet {
  static final String KIND = "trusted-set";
  static final int MAX_MEMBERS = 1024;

  /**
   * How far past the set held a received set's version may be (ADR 34). Each change adds one, so no
   * honest history jumps this far; a set claiming {@code Long.MAX_VALUE} would leave no next
   * version and freeze the drive's membership.
   */
  static final long MAX_VERSION_JUMP = 1_000_000;

  /** How far in this device's future a received name or admission stamp may be. */
  static final long MAX_CLOCK_SKEW_MILLIS = java.time.Duration.ofDays(1).toMillis();

  /**
   * One trusted device.
   *
   * @param namedAtMillis when {@code name} was set: at its addition, or by a later rename
   */
  public record Member(
      DeviceId id,
      byte[] publicKey,
      String name,
      DeviceId addedBy,
      long addedAtMillis,
      long namedAtMillis) {
    Member(DeviceId id, byte[] publicKey, String name, DeviceId addedBy, long addedAtMillis) {
      this(id, publicKey, name, addedBy, addedAtMillis, addedAtMillis);
    }

    /** Whether this record's name is the one to keep against {@code other}'s (same device). */
    boolean nameWins(Member other) {
      return namedAtMillis != other.namedAtMillis
          ? namedAtMillis > other.namedAtMillis
          : name.compareTo(other.name) >= 0;
    }
  }

  private final String driveId;
  private final long version;
  private final Map<DeviceId, Member> members;

  private TrustedSet(String driveId, long version, Map<DeviceId, Member> members) {
    this.driveId = driveId;
    this.version = version;
    this.members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
  }

  /** The first set of a new drive: just its founder. */
  public static TrustedSet founding(String driveId, DeviceIdentity founder, String name) {
    Member member =
        new Member(
            founder.id(), founder.rawPublicKey(), name, founder.id(), System.currentTimeMillis());
    return new TrustedSet(driveId, 1, Map.of(founder.id(), member));
  }

  public String driveId() {
    return driveId;
  }

  public long version() {
    return version;
  }

  public Collection<Member> members() {
    return members.values();
  }

  public boolean contains(DeviceId id) {
    return members.containsKey(id);
  }

  public Optional<Member> member(DeviceId id) {
    return Optional.ofNullable(members.get(id));
  }

  /** This set plus {@code device}, as the next version. */
  public TrustedSet with(DeviceId id, byte[] publicKey, String name, DeviceId addedBy) {
    if (!DeviceIds.fromPublicKey(publicKey).equals(id)) {
      throw new IllegalArgumentException("public key does not belong to " + id);
    }
    if (!members.containsKey(id)) {
      requireRoom(members.size() + 1);
    }
    Map<DeviceId, Member> next = new LinkedHashMap<>(members);
    next.put(id, new Member(id, publicKey.clone(), name, addedBy, System.currentTimeMillis()));
    return new TrustedSet(driveId, after(version), next);
  }

  /** This set with {@code id} named {@code name} from now on, as the next version. */
  public TrustedSet renamed(DeviceId id, String name) {
    Member old = members.get(id);
    if (old == null) {
      throw new IllegalArgumentException(id + " is not a member");
    }
    Map<DeviceId, Member> next = new LinkedHashMap<>(members);
    long now = Math.max(System.currentTimeMillis(), old.namedAtMillis() + 1);
    next.put(id, new Member(id, old.publicKey(), name, old.addedBy(), old.addedAtMillis(), now));
    return new TrustedSet(driveId, after(version), next);
  }

  /**
   * The members of both sets (devices are only added), as a version after both. For a device in
   * both, the addition is the earlier-added record and the name the later-set one, so every device
   * ends with the same set whatever the order of merges.
   */
  public TrustedSet union(TrustedSet other) {
    if (!driveId.equals(other.driveId)) {
      throw new IllegalArgumentException("sets of different drives");
    }
    Map<DeviceId, Member> merged = new LinkedHashMap<>(members);
    other.members.forEach(
        (id, theirs) ->
            merged.merge(
                id,
                theirs,
                (mine, incoming) -> {
                  Member named = mine.nameWins(incoming) ? mine : incoming;
                  return new Member(
                      id,
                      mine.publicKey(),
                      named.name(),
                      mine.addedBy(),
                      mine.addedAtMillis(),
                      named.namedAtMillis());
                }));
    requireRoom(merged.size());
    return new TrustedSet(driveId, after(Math.max(version, other.version)), merged);
  }

  /** The version after {@code version}; never wraps. */
  private static long after(long version) {
    try {
      return Math.addExact(version, 1);
    } catch (ArithmeticException e) {
      throw new TrustException("trusted set v" + version + " has no next version");
    }
  }

  private static void requireRoom(int size) {
    if (size > MAX_MEMBERS) {
      throw new TrustException(
          "a drive holds at most " + MAX_MEMBERS + " devices; this change would make " + size);
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
    for (Member m : members.values()) {
      var fault = org.gossipdrive.net.wire.ReceivedNames.fault(m.name());
      if (fault.isPresent()) {
        throw new TrustException("member " + m.id() + "'s name " + fault.get());
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
    for (Member m : members.values()) {
      if (m.addedAtMillis() > nowMillis + MAX_CLOCK_SKEW_MILLIS
          || m.namedAtMillis() > nowMillis + MAX_CLOCK_SKEW_MILLIS) {
        throw new TrustException(
            "member " + m.id() + " carries a time stamp more than a day in the future");
      }
    }
  }

  /** Whether every member of {@code other} is a member here, with a name at least as recent. */
  public boolean includes(TrustedSet other) {
    return other.members.values().stream()
        .allMatch(
            theirs -> {
              Member mine = members.get(theirs.id());
              return mine != null && mine.nameWins(theirs);
            });
  }

  public SignedRecord sign(DeviceIdentity signer) {
    if (!contains(signer.id())) {
      throw new IllegalStateException(
          signer.id() + " is not a member and cannot sign the trusted set");
    }
    TrustedSetBody.Builder body =
        TrustedSetBody.newBuilder().setDriveId(driveId).setVersion(version);
    for (Member m : members.values()) {
      body.addDevices(
          TrustedDevice.newBuilder()
              .setDeviceId(m.id().value())
              .setPublicKey(ByteString.copyFrom(m.publicKey()))
              .setName(m.name())
              .setAddedBy(m.addedBy().value())
              .setAddedAtMillis(m.addedAtMillis())
              .setNamedAtMillis(m.namedAtMillis()));
    }
    return SignedRecords.sign(KIND, body.build().toByteArray(), signer);
  }

  /**
   * Checks and reads a signed set: the signer must be a member, the signature must be theirs, and
   * every member's id must be the hash of its key.
   *
   * @throws TrustException saying what is wrong
   */
  public static TrustedSet verify(SignedRecord record) {
    TrustedSetBody body;
    try {
      body = TrustedSetBody.parseFrom(record.getBody());
    } catch (InvalidProtocolBufferException e) {
      throw new TrustException("the trusted-device record is unreadable: " + e.getMessage());
    }
    if (body.getDevicesCount() == 0
        || body.getDevicesCount() > MAX_MEMBERS
        || body.getVersion() < 1
        || body.getDriveId().isEmpty()
        || body.getDriveId().length() > Protocol.MAX_ID) {
      throw new TrustException("the trusted-device record is malformed");
    }
    Map<DeviceId, Member> members = new LinkedHashMap<>();
    for (TrustedDevice device : body.getDevicesList()) {
      byte[] key = device.getPublicKey().toByteArray();
      DeviceId id;
      try {
        id = DeviceIds.parse(device.getDeviceId());
        if (key.length != 32 || !DeviceIds.fromPublicKey(key).equals(id)) {
          throw new TrustException("member " + device.getDeviceId() + " does not match its key");
        }
        if (device.getName().length() > Protocol.MAX_NAME) {
          throw new TrustException("member " + device.getDeviceId() + " has an overlong name");
        }
        members.put(
            id,
            new Member(
                id,
                key,
                device.getName(),
                DeviceIds.parse(device.getAddedBy()),
                device.getAddedAtMillis(),
                device.getNamedAtMillis() == 0
                    ? device.getAddedAtMillis()
                    : device.getNamedAtMillis()));
      } catch (IllegalArgumentException e) {
        throw new TrustException(
            "member " + device.getDeviceId() + " is malformed: " + e.getMessage());
      }
    }
    Member signer =
        members.values().stream()
            .filter(m -> m.id().value().equals(record.getSignerId()))
            .findFirst()
            .orElseThrow(
                () ->
                    new TrustException(
                        "the trusted-device record is signed by "
                            + record.getSignerId()
                            + ", who is not a member"));
    if (!SignedRecords.verify(KIND, record, signer.publicKey())) {
      throw new TrustException("the trusted-device record's signature is invalid");
    }
    return new TrustedSet(body.getDriveId(), body.getVersion(), members);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrustedSet other
        && driveId.equals(other.driveId)
        && version == other.version
        && members.keySet().equals(other.members.keySet())
        && members.values().stream()
            .allMatch(
                m ->
                    Arrays.equals(m.publicKey(), other.members.get(m.id()).publicKey())
                        && m.name().equals(other.members.get(m.id()).name()));
  }

  @Override
  public int hashCode() {
    return driveId.hashCode() * 31 + Long.hashCode(version);
  }
}
