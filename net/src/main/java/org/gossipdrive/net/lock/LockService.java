package org.gossipdrive.net.lock;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.gossipdrive.engine.lock.AcquireResult;
import org.gossipdrive.engine.lock.Decision;
import org.gossipdrive.engine.lock.Lock;
import org.gossipdrive.engine.lock.LockClaim;
import org.gossipdrive.engine.lock.LockTable;
import org.gossipdrive.engine.lock.Locks;
import org.gossipdrive.engine.lock.Verdict;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.engine.tree.HybridClock;
import org.gossipdrive.engine.tree.HybridTimestamp;
import org.gossipdrive.net.transport.Connection;
import org.gossipdrive.net.transport.FrameListener;
import org.gossipdrive.net.wire.proto.Frame;
import org.gossipdrive.net.wire.proto.Lane;
import org.gossipdrive.net.wire.proto.LockAnnounce;
import org.gossipdrive.net.wire.proto.LockBreak;
import org.gossipdrive.net.wire.proto.LockEntry;
import org.gossipdrive.net.wire.proto.LockRelease;
import org.gossipdrive.net.wire.proto.LockReply;
import org.gossipdrive.net.wire.proto.LockRequest;
import org.gossipdrive.net.wire.proto.LockVerdict;

/**
 * Document locks across the drive's peers. An acquire asks every connected peer at once and holds
 * when all that answer in time grant it; peers that do not answer are unreachable and do not block
 * it (their edits meet as conflict copies later). Competing claims are ordered by hybrid-clock
 * stamp, then device id, the same way everywhere. Held locks are announced to every peer and
 * renewed every third of the lease; a holder that vanishes loses its locks when the lease runs out.
 */
public final class LockService implements Locks, FrameListener, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(LockService.class.getName());

  private final DeviceId self;

  /** This device's current name (it can be renamed while running). */
  private final java.util.function.Supplier<String> selfName;

  private final LockConfig config;
  private final Clock wall;
  private final HybridClock clock = new HybridClock();
  private final LockTable table;
  private final Predicate<DeviceId> reachable;
  private final Map<DeviceId, Connection> control = new ConcurrentHashMap<>();
  private final Map<Long, Round> rounds = new ConcurrentHashMap<>();
  private final AtomicLong requestIds = new AtomicLong();
  private final ScheduledExecutorService renewer;
  private final Set<String> broken = ConcurrentHashMap.newKeySet();

  /** Devices removed from the drive: their locks no longer count. */
  private final Set<DeviceId> removed = ConcurrentHashMap.newKeySet();

  /** Locks this device broke, by path, until their holder has heard of it. */
  private final Map<String, Lock> brokenHere = new ConcurrentHashMap<>();

  /** The answers to one request for a lock, as they come in. */
  private static final class Round {
    final CountDownLatch answered;
    final Set<DeviceId> granted = ConcurrentHashMap.newKeySet();
    volatile boolean busy;
    volatile Lock heldBy;

    Round(int peers) {
      answered = new CountDownLatch(peers);
    }
  }

  /**
   * @param reachable whether membership currently reaches a device (a lock may only be broken when
   *     its holder is not reachable)
   */
  public LockService(
      DeviceId self,
      String selfName,
      LockConfig config,
      Clock wall,
      Predicate<DeviceId> reachable) {
    this(self, () -> selfName, config, wall, reachable);
  }

  /**
   * @param selfName this device's name as of now: locks taken after a rename carry the new one
   * @param reachable whether membership currently reaches a device (a lock may only be broken when
   *     its holder is not reachable)
   */
  public LockService(
      DeviceId self,
      java.util.function.Supplier<String> selfName,
      LockConfig config,
      Clock wall,
      Predicate<DeviceId> reachable) {
    this.self = self;
    this.selfName = selfName;
    this.config = config;
    this.wall = wall;
    this.table = new LockTable(self);
    this.reachable = reachable;
    this.renewer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon(true).name("gossipdrive-locks").factory());
    long period = Math.max(100, config.lease().toMillis() / 3);
    renewer.scheduleAtFixedRate(this::renew, period, period, TimeUnit.MILLISECONDS);
  }

  @Override
  public DeviceId self() {
    return self;
  }

  public LockConfig config() {
    return config;
  }

  // ---- acquiring and releasing ------------------------------------------------------------------

  @Override
  public AcquireResult acquire(String path) throws InterruptedException {
    Optional<Lock> current = table.lock(path, wall.instant());
    if (current.isPresent() && current.get().holder().equals(self)) {
      return AcquireResult.granted(current.get());
    }
    LockClaim claim = new LockClaim(self, clock.now());
    long deadline = System.nanoTime() + config.acquireTimeout().toNanos();
    while (true) {
      Decision local = table.begin(path, claim, wall.instant());
      if (local.verdict() == Verdict.HELD) {
        return AcquireResult.heldBy(local.holder().orElseThrow());
      }
      if (local.verdict() == Verdict.GRANTED) {
        AcquireResult result = ask(path, claim);
        if (result.verdict() != Verdict.BUSY) {
          return result;
        }
      }
      if (System.nanoTime() > deadline) {
        return AcquireResult.busy();
      }
      Thread.sleep(ThreadLocalRandom.current().nextLong(2, 25));
    }
  }

  private AcquireResult ask(String path, LockClaim claim) throws InterruptedException {
    List<Connection> peers = List.copyOf(control.values());
    long id = requestIds.incrementAndGet();
    Round round = new Round(peers.size());
    rounds.put(id, round);
    try {
      Frame request =
          Frame.newBuilder()
              .setLockRequest(
                  LockRequest.newBuilder()
                      .setRequestId(id)
                      .setPath(path)
                      .setStamp(claim.stamp().value()))
              .build();
      for (Connection peer : peers) {
        if (!send(peer, request)) {
          round.answered.countDown();
        }
      }
      if (!round.answered.await(config.replyTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.log(
            Level.INFO,
            "lock {0}: {1} of {2} peers did not answer in {3} ms; treated as unreachable",
            path,
            round.answered.getCount(),
            peers.size(),
            config.replyTimeout().toMillis());
      }
    } finally {
      rounds.remove(id);
    }
    if (round.heldBy == null && !round.busy && !table.doomed(path, claim)) {
      Instant now = wall.instant();
      Lock lock = new Lock(path, self, selfName.get(), claim.stamp(), now, Instant.MAX);
      table.finish(path, claim, Optional.of(lock));
      broken.remove(path);
      broadcast(announce(List.of(lock), false));
      return AcquireResult.granted(lock);
    }
    table.finish(path, claim, Optional.empty());
    Frame abandon = release(path, claim.stamp());
    for (Connection peer : peers) {
      if (round.granted.contains(peer.peer())) {
        send(peer, abandon);
      }
    }
    return round.heldBy != null ? AcquireResult.heldBy(round.heldBy) : AcquireResult.busy();
  }

  @Override
  public void release(String path) {
    Optional<Lock> lock = table.lock(path, wall.instant());
    if (lock.isPresent() && lock.get().holder().equals(self)) {
      table.released(path, self);
      broadcast(release(path, lock.get().stamp()));
    }
  }

  /**
   * Breaks the lock another device holds on {@code path}, telling every connected peer.
   *
   * @throws IllegalStateException when there is no such lock, or its holder is reachable (it should
   *     release it itself)
   */
  public Lock breakLock(String path) {
    Lock lock =
        table
            .lock(path, wall.instant())
            .orElseThrow(() -> new IllegalStateException("no lock on " + path));
    if (lock.holder().equals(self)) {
      throw new IllegalStateException(path + " is locked by this device; use unlock, not break");
    }
    if (reachable.test(lock.holder())) {
      throw new IllegalStateException(
          lock.holderName() + " is online and holds " + path + "; ask it to unlock");
    }
    table.released(path, lock.holder());
    // The holder is away: it learns of the break when it reconnects, and until then its
    // announcements of that claim are not believed.
    brokenHere.put(path, lock);
    broadcast(breakOf(lock));
    return lock;
  }

  /** Paths whose lock this device held until someone broke it (cleared on the next acquire). */
  public Set<String> brokenLocks() {
    return Set.copyOf(broken);
  }

  @Override
  public Optional<Lock> lock(String path) {
    return table.lock(path, wall.instant());
  }

  @Override
  public List<Lock> all() {
    return table.all(wall.instant());
  }

  // ---- the protocol -----------------------------------------------------------------------------

  @Override
  public void onOpen(Connection connection) {
    if (connection.lane() == Lane.CONTROL) {
      control.put(connection.peer(), connection);
      send(connection, announce(table.mine(), true));
      brokenHere.values().stream()
          .filter(l -> l.holder().equals(connection.peer()))
          .forEach(l -> send(connection, breakOf(l)));
    }
  }

  private static Frame breakOf(Lock lock) {
    return Frame.newBuilder()
        .setLockBreak(LockBreak.newBuilder().setPath(lock.path()).setHolder(lock.holder().value()))
        .build();
  }

  @Override
  public void onClose(Connection connection, String reason) {
    control.remove(connection.peer(), connection);
  }

  /**
   * Drops every lock {@code holder} holds and ignores its lock traffic from now on: it was removed
   * from the drive (ADR 39), so a lock it announces, or a peer reports it holding, no longer
   * counts.
   */
  public void forgetHolder(DeviceId holder) {
    removed.add(holder);
    table.retainAnnounced(holder, Set.of());
  }

  @Override
  public void onFrame(Connection connection, Frame frame) {
    DeviceId peer = connection.peer();
    if (removed.contains(peer)) {
      return;
    }
    switch (frame.getBodyCase()) {
      case LOCK_REQUEST -> answer(connection, frame.getLockRequest());
      case LOCK_REPLY -> replied(peer, frame.getLockReply());
      case LOCK_ANNOUNCE -> announced(peer, frame.getLockAnnounce());
      case LOCK_RELEASE -> table.released(frame.getLockRelease().getPath(), peer);
      case LOCK_BREAK -> lockBroken(peer, frame.getLockBreak());
      default -> {
        // not lock traffic
      }
    }
  }

  private void answer(Connection connection, LockRequest request) {
    HybridTimestamp stamp = new HybridTimestamp(request.getStamp());
    clock.observe(stamp);
    Decision decision =
        table.decide(request.getPath(), new LockClaim(connection.peer(), stamp), wall.instant());
    LockReply.Builder reply =
        LockReply.newBuilder().setRequestId(request.getRequestId()).setVerdict(verdict(decision));
    decision.holder().ifPresent(lock -> reply.setHolder(entry(lock)));
    send(connection, Frame.newBuilder().setLockReply(reply).build());
  }

  private void replied(DeviceId peer, LockReply reply) {
    Round round = rounds.get(reply.getRequestId());
    if (round == null) {
      return; // too late: the acquire already gave up on this peer
    }
    switch (reply.getVerdict()) {
      case LOCK_GRANTED -> round.granted.add(peer);
      case LOCK_HELD -> round.heldBy = lockOf(reply.getHolder(), null).orElse(null);
      default -> round.busy = true;
    }
    if (reply.getVerdict() == LockVerdict.LOCK_HELD && round.heldBy == null) {
      round.busy = true; // a malformed holder: not trusted, but not granted either
    }
    round.answered.countDown();
  }

  private void announced(DeviceId peer, LockAnnounce announce) {
    Set<String> paths = new HashSet<>();
    for (LockEntry entry : announce.getLocksList()) {
      Optional<Lock> lock = lockOf(entry, peer);
      if (lock.isEmpty()) {
        LOG.log(Level.WARNING, "{0} announced a lock it does not hold; ignored", peer);
        continue;
      }
      clock.observe(lock.get().stamp());
      Lock wasBroken = brokenHere.get(entry.getPath());
      if (wasBroken != null && wasBroken.claim().equals(lock.get().claim())) {
        continue; // the holder has not heard of the break yet: it is on its way
      }
      table.announced(lock.get());
      paths.add(entry.getPath());
    }
    if (announce.getComplete()) {
      table.retainAnnounced(peer, paths);
      // Breaks the holder no longer announces have reached it.
      brokenHere
          .values()
          .removeIf(
              l ->
                  l.holder().equals(peer)
                      && announce.getLocksList().stream()
                          .noneMatch(e -> e.getPath().equals(l.path())));
    }
  }

  private void lockBroken(DeviceId peer, LockBreak message) {
    DeviceId holder;
    try {
      holder = new DeviceId(message.getHolder());
    } catch (IllegalArgumentException e) {
      return;
    }
    if (table.released(message.getPath(), holder) && holder.equals(self)) {
      broken.add(message.getPath());
    }
    LOG.log(Level.WARNING, "{0} broke the lock of {1} on {2}", peer, holder, message.getPath());
  }

  private void renew() {
    try {
      broadcast(announce(table.mine(), true));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "lock renewal failed: " + e, e);
    }
  }

  // ---- encoding ---------------------------------------------------------------------------------

  private Frame announce(List<Lock> locks, boolean complete) {
    LockAnnounce.Builder announce = LockAnnounce.newBuilder().setComplete(complete);
    locks.forEach(l -> announce.addLocks(entry(l)));
    return Frame.newBuilder().setLockAnnounce(announce).build();
  }

  private LockEntry entry(Lock lock) {
    long lease =
        lock.expires().equals(Instant.MAX)
            ? config.lease().toMillis()
            : Math.max(0, lock.expires().toEpochMilli() - wall.millis());
    return LockEntry.newBuilder()
        .setPath(lock.path())
        .setHolder(lock.holder().value())
        .setHolderName(lock.holderName())
        .setStamp(lock.stamp().value())
        .setSinceMillis(lock.since().toEpochMilli())
        .setLeaseMillis((int) Math.min(Integer.MAX_VALUE, lease))
        .build();
  }

  /** Decodes a lock entry; with {@code expectedHolder}, only a lock that device holds. */
  private Optional<Lock> lockOf(LockEntry entry, DeviceId expectedHolder) {
    DeviceId holder;
    try {
      holder = new DeviceId(entry.getHolder());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if ((expectedHolder != null && !holder.equals(expectedHolder)) || removed.contains(holder)) {
      return Optional.empty();
    }
    Instant now = wall.instant();
    return Optional.of(
        new Lock(
            entry.getPath(),
            holder,
            entry.getHolderName(),
            new HybridTimestamp(entry.getStamp()),
            Instant.ofEpochMilli(entry.getSinceMillis()),
            now.plusMillis(Math.min(entry.getLeaseMillis(), config.lease().toMillis() * 4))));
  }

  private static LockVerdict verdict(Decision decision) {
    return switch (decision.verdict()) {
      case GRANTED -> LockVerdict.LOCK_GRANTED;
      case HELD -> LockVerdict.LOCK_HELD;
      case BUSY -> LockVerdict.LOCK_BUSY;
    };
  }

  private static Frame release(String path, HybridTimestamp stamp) {
    return Frame.newBuilder()
        .setLockRelease(LockRelease.newBuilder().setPath(path).setStamp(stamp.value()))
        .build();
  }

  private void broadcast(Frame frame) {
    control.values().forEach(c -> send(c, frame));
  }

  private static boolean send(Connection connection, Frame frame) {
    try {
      connection.send(frame);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    renewer.shutdownNow();
    broadcast(announce(List.of(), true));
  }
}
