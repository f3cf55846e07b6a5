package org.gossipdrive.fs.daemon;

import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.ReplicaOptions;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.fs.fuse.DriveMount;
import org.gossipdrive.fs.vfs.DriveServices;
import org.gossipdrive.fs.vfs.PushHold;
import org.gossipdrive.net.discovery.AddressGossip;
import org.gossipdrive.net.discovery.DiscoveryDialing;
import org.gossipdrive.net.discovery.LanDiscovery;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.identity.IdentityStore;
import org.gossipdrive.net.invite.Invitation;
import org.gossipdrive.net.invite.InvitationBook;
import org.gossipdrive.net.lock.LockConfig;
import org.gossipdrive.net.lock.LockService;
import org.gossipdrive.net.membership.FrameFanout;
import org.gossipdrive.net.membership.MemberState;
import org.gossipdrive.net.membership.Membership;
import org.gossipdrive.net.membership.MembershipConfig;
import org.gossipdrive.net.sync.Replicator;
import org.gossipdrive.net.transport.PeerDialer;
import org.gossipdrive.net.transport.Transport;
import org.gossipdrive.net.transport.TransportConfig;
import org.gossipdrive.net.trust.Removal;
import org.gossipdrive.net.trust.RemovalEnforcement;
import org.gossipdrive.net.trust.TrustGossip;
import org.gossipdrive.net.trust.TrustStore;
import org.gossipdrive.net.trust.TrustedSet;
import org.gossipdrive.net.trust.VersionSignatures;

/**
 * A running drive: replica, mount, peers and the local API, started in that order and stopped in
 * the reverse one. Only one daemon runs per home (a lock file says so).
 */
public final class Daemon implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Daemon.class.getName());

  private final DaemonConfig config;
  private final DeviceIdentity identity;
  private final TrustStore trust;
  private volatile String name;
  private FileChannel lockChannel;
  private FileLock lock;
  private Replica replica;
  private DriveMount mount;
  private Membership membership;
  private Replicator replicator;
  private LockService locks;
  private Transport transport;
  private volatile PeerDialer dialer;
  private LanDiscovery discovery;
  private LocalApi api;
  private InvitationBook invitations;
  private volatile InetSocketAddress listening;
  private boolean closed;

  private Daemon(DaemonConfig config, DeviceIdentity identity, TrustStore trust, String name) {
    this.config = config;
    this.identity = identity;
    this.trust = trust;
    this.name = name;
  }

  /**
   * Starts a daemon for an initialised home.
   *
   * @throws DaemonException with a one-line reason for expected failures (not initialised, already
   *     running, port taken, mount point unusable)
   */
  public static Daemon start(DaemonConfig config, String deviceName) throws IOException {
    Path home = config.home();
    DeviceIdentity identity =
        IdentityStore.forHome(home)
            .load()
            .orElseThrow(
                () ->
                    new DaemonException(
                        home + " is not initialised; run: gossipdrive init --home " + home));
    TrustStore trust = TrustStore.open(home);
    if (trust.driveId().isEmpty()) {
      throw new DaemonException("this device belongs to no drive yet; run init, or join one");
    }
    Daemon daemon = new Daemon(config, identity, trust, deviceName);
    try {
      daemon.startParts();
      return daemon;
    } catch (IOException | RuntimeException e) {
      daemon.close();
      throw e;
    }
  }

  private void startParts() throws IOException {
    takeHomeLock();
    DriveMount.requireUsable(config.mountPoint());
    replica =
        Replica.open(
            config.home().resolve("replica"),
            DriveMount.options(
                ReplicaOptions.defaults(identity.id())
                    .withSigner(VersionSignatures.signer(identity))
                    .withDeviceNames(this::deviceName)));
    replicator = new Replicator(replica, trust, config.antiEntropy(), config.snapshotAfter());
    membership = new Membership(identity.id(), trust, MembershipConfig.defaults());
    locks =
        new LockService(
            identity.id(),
            () -> deviceName(identity.id()),
            LockConfig.defaults().withLease(config.lockLease()),
            java.time.Clock.systemUTC(),
            peer -> membership.state(peer) == MemberState.REACHABLE);
    transport =
        new Transport(
            identity,
            trust.driveId().orElseThrow(),
            name,
            trust,
            TransportConfig.defaults(),
            new FrameFanout(
                replicator, membership, locks, new TrustGossip(trust, identity), addressGossip()));
    try {
      listening = transport.listen(config.listen());
    } catch (BindException e) {
      throw new DaemonException(
          "cannot listen on "
              + KnownPeers.format(config.listen())
              + ": "
              + e.getMessage()
              + " (another daemon? choose --listen)");
    }
    invitations =
        new InvitationBook(config.home(), identity, name, trust, java.time.Clock.systemUTC());
    transport.setJoinHandler(invitations);
    dialer = new PeerDialer(transport, Duration.ofMillis(200), Duration.ofSeconds(30));
    dialKnownPeers();
    trust.onChange(this::dialKnownPeers);
    PeerDialer dialing = dialer;
    new RemovalEnforcement(
        trust,
        identity.id(),
        transport,
        removed -> {
          dialing.forget(removed);
          locks.forgetHolder(removed);
        });
    if (config.discovery()) {
      startDiscovery();
    }
    mount =
        DriveMount.mount(
            replica,
            config.mountPoint(),
            config.home().resolve("staging"),
            identity.id().value(),
            new DriveServices(
                locks,
                config.companions(),
                new PushHold() {
                  @Override
                  public void hold() {
                    replicator.pushGate().hold();
                  }

                  @Override
                  public void release() {
                    replicator.pushGate().release();
                  }
                },
                name,
                java.time.Duration.ofMinutes(10)));
    api = LocalApi.start(config.home(), this);
  }

  /** Where peers should dial this device: the configured addresses, or where it listens. */
  private List<InetSocketAddress> advertisedAddresses() {
    if (!config.advertise().isEmpty()) {
      return config.advertise();
    }
    try {
      return ReachableAddresses.of(listening);
    } catch (IOException e) {
      return List.of(listening);
    }
  }

  /** Keeps a link to every trusted device whose address is known (again on trust changes). */
  private void dialKnownPeers() {
    PeerDialer current = dialer;
    if (current == null) {
      return;
    }
    new KnownPeers(config.home())
        .load()
        .forEach(
            (peer, addresses) -> {
              if (!peer.equals(identity.id()) && trust.isTrusted(peer)) {
                current.maintain(peer, addresses, link -> {});
              }
            });
  }

  /** Peers tell each other where they listen; what is learned is kept and dialed. */
  private AddressGossip addressGossip() {
    KnownPeers known = new KnownPeers(config.home());
    return new AddressGossip(
        identity.id(),
        this::advertisedAddresses,
        trust::isTrusted,
        new AddressGossip.AddressBook() {
          @Override
          public java.util.Map<DeviceId, List<InetSocketAddress>> all() {
            return known.load();
          }

          @Override
          public boolean learn(DeviceId device, List<InetSocketAddress> addresses) {
            if (!known.remember(device, addresses)) {
              return false;
            }
            PeerDialer current = dialer;
            if (current != null) {
              current.maintain(device, addresses, link -> {});
            }
            return true;
          }
        });
  }

  private void takeHomeLock() throws IOException {
    Path lockFile = config.home().resolve("daemon.lock");
    lockChannel =
        FileChannel.open(
            lockFile,
            java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
            org.gossipdrive.engine.store.OwnerOnly.fileAttributes());
    lock = lockChannel.tryLock();
    // A CLI command checking whether a daemon is starting holds the lock for an instant.
    for (int attempt = 0; lock == null && attempt < 10; attempt++) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      lock = lockChannel.tryLock();
    }
    if (lock == null) {
      lockChannel.close();
      lockChannel = null;
      throw new DaemonException("a daemon is already running for " + config.home());
    }
  }

  /** Whether LAN discovery (mDNS) runs now. */
  public synchronized boolean discoveryOn() {
    return discovery != null;
  }

  /** Switches LAN discovery on or off while running (the status page's toggle). */
  public synchronized void setDiscovery(boolean on) {
    if (on && discovery == null) {
      startDiscovery();
    } else if (!on && discovery != null) {
      closeQuietly(discovery);
      discovery = null;
    }
  }

  private void startDiscovery() {
    Optional<InetAddress> lan = lanAddress(config.listen().getAddress());
    if (lan.isEmpty()) {
      LOG.log(System.Logger.Level.INFO, "no LAN interface: discovery is off");
      return;
    }
    try {
      DiscoveryDialing dialing = new DiscoveryDialing(dialer, link -> {});
      discovery =
          LanDiscovery.start(
              lan.get(),
              identity.id(),
              name,
              trust.driveId().orElseThrow(),
              listening.getPort(),
              trust,
              dialing);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "LAN discovery is off: " + e.getMessage());
    }
  }

  private static Optional<InetAddress> lanAddress(InetAddress bound) {
    if (!bound.isAnyLocalAddress()) {
      return bound.isLoopbackAddress() ? Optional.empty() : Optional.of(bound);
    }
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (nic.isUp() && !nic.isLoopback() && nic.supportsMulticast()) {
          for (InetAddress address : Collections.list(nic.getInetAddresses())) {
            if (address instanceof Inet4Address) {
              return Optional.of(address);
            }
          }
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** The name a device gave itself, or the start of its id when it is not (or no longer) known. */
  public String deviceName(DeviceId device) {
    return trust
        .current()
        .flatMap(set -> set.member(device)) // removed devices too: their history keeps its names
        .map(TrustedSet.Member::name)
        .orElse(device.value().substring(0, 7));
  }

  /**
   * Issues a single-use invitation that this running daemon answers: the new device is trusted here
   * the moment it joins, with no restart.
   */
  public Invitation invite(Duration validity) throws IOException {
    List<String> addresses = new java.util.ArrayList<>();
    for (InetSocketAddress address : advertisedAddresses()) {
      addresses.add(KnownPeers.format(address));
    }
    return invitations.issue(validity, addresses);
  }

  public DeviceIdentity identity() {
    return identity;
  }

  /**
   * Renames this device: in the drive's trusted set (peers show the new name as soon as the set
   * reaches them) and in the home, for the next start.
   */
  public synchronized void rename(String newName) throws IOException {
    String checked = DeviceName.checked(newName);
    trust.rename(identity, checked);
    org.gossipdrive.net.AtomicFiles.write(
        config.home().resolve("device.name"),
        checked.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    name = checked;
  }

  /**
   * Removes a device from the drive (ADR 39), by id or unique name: a signed removal that
   * trusted-set gossip spreads at once.
   *
   * @throws IllegalArgumentException when no device or several are meant
   * @throws org.gossipdrive.net.trust.TrustException when this device may not remove it
   */
  public Removal remove(String device) {
    return new DeviceRemoval(trust, identity, replica).remove(device);
  }

  public String name() {
    return name;
  }

  public DaemonConfig config() {
    return config;
  }

  public InetSocketAddress listening() {
    return listening;
  }

  public Replica replica() {
    return replica;
  }

  /** Whether this device has a link of its own with {@code peer} (not only through others). */
  public boolean linkedTo(DeviceId peer) {
    return transport.linkedTo(peer);
  }

  public Membership membership() {
    return membership;
  }

  public Replicator replicator() {
    return replicator;
  }

  public LockService locks() {
    return locks;
  }

  public DriveMount mount() {
    return mount;
  }

  public TrustStore trust() {
    return trust;
  }

  public Path mountPoint() {
    return mount.mountPoint();
  }

  public LocalApi api() {
    return api;
  }

  /** Unmounts (committing open files), leaves the network, then closes the store. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeQuietly(api);
    closeQuietly(mount);
    // Before the transport: peers hear that this device's locks are gone.
    closeQuietly(locks);
    closeQuietly(discovery);
    closeQuietly(dialer);
    closeQuietly(transport);
    closeQuietly(replicator);
    closeQuietly(membership);
    closeQuietly(replica);
    try {
      if (lock != null) {
        lock.release();
      }
      if (lockChannel != null) {
        lockChannel.close();
      }
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot release the home lock: " + e.getMessage());
    }
  }

  private static void closeQuietly(AutoCloseable part) {
    if (part == null) {
      return;
    }
    try {
      part.close();
    } catch (Exception e) {
      LOG.log(System.Logger.Level.WARNING, "while stopping: " + e, e);
    }
  }
}
