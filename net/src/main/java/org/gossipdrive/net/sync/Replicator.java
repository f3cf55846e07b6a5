package org.gossipdrive.net.sync;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.codec.CorruptRecordException;
import org.gossipdrive.engine.commit.ApplyOutcome;
import org.gossipdrive.engine.hash.ChunkId;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.engine.tree.FileVersion;
import org.gossipdrive.engine.tree.VersionCodec;
import org.gossipdrive.net.transport.Connection;
import org.gossipdrive.net.transport.FrameListener;
import org.gossipdrive.net.trust.TrustStore;
import org.gossipdrive.net.trust.VersionSignatures;
import org.gossipdrive.net.wire.proto.AuthorPosition;
import org.gossipdrive.net.wire.proto.ChunkReply;
import org.gossipdrive.net.wire.proto.ChunkRequest;
import org.gossipdrive.net.wire.proto.Frame;
import org.gossipdrive.net.wire.proto.IndexDigest;
import org.gossipdrive.net.wire.proto.Lane;
import org.gossipdrive.net.wire.proto.RecordBatch;

/**
 * Keeps a replica in step with its connected peers:
 *
 * <ul>
 *   <li>on connect, and every anti-entropy interval, each side sends its digest (per author, the
 *       highest record held) and the other answers with exactly the records it lacks;
 *   <li>records this device authors are pushed to every peer at once, and records received are
 *       relayed to the other peers;
 *   <li>every record is checked (signature, trusted author) before use, applied once, and only
 *       after the chunks it needs were fetched (on the bulk lane) and re-hashed.
 * </ul>
 */
public final class Replicator implements FrameListener, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Replicator.class.getName());
  private static final int BATCH_BYTES = 4 << 20;

  private final Replica replica;
  private final TrustStore trust;
  private final Map<DeviceId, Connection> control = new ConcurrentHashMap<>();
  private final Map<DeviceId, Connection> bulk = new ConcurrentHashMap<>();
  private final ExecutorService applier;
  private final ExecutorService chunkServer = Executors.newVirtualThreadPerTaskExecutor();

  private final long heldAtStart;

  /** Per author, the highest sequence any peer's digest said it holds. */
  private final Map<DeviceId, Long> peersHave = new java.util.concurrent.ConcurrentHashMap<>();

  private final ScheduledExecutorService antiEntropy;
  private final ChunkFetcher fetcher = new ChunkFetcher(bulk);
  private final ChunkPusher pusher;
  private final PushGate pushGate;
  private final List<Pending> deferred = new ArrayList<>();
  private final AtomicLong rejected = new AtomicLong();
  private static final int HISTORY = 200;
  private final java.util.Deque<SyncEvent> history = new java.util.ArrayDeque<>();
  private final Map<DeviceId, java.time.Instant> lastSync = new ConcurrentHashMap<>();
  private final long snapshotThreshold;
  private final SnapshotServer snapshots;
  private final SnapshotReceiver snapshotReceiver;

  /** Records a peer may lag behind before it is offered a snapshot instead of a replay. */
  public static final long DEFAULT_SNAPSHOT_THRESHOLD = 5_000;

  /**
   * A checked record, with the peer that can serve its chunks and, for a snapshot's, which
   * concurrent versions its sender had already resolved (they get no conflict copy here).
   */
  private record Pending(
      DeviceId from,
      FileVersion record,
      java.util.function.Predicate<FileVersion> resolvedBySender) {
    Pending(DeviceId from, FileVersion record) {
      this(from, record, v -> false);
    }
  }

  public Replicator(Replica replica, TrustStore trust, Duration antiEntropyInterval) {
    this(replica, trust, antiEntropyInterval, DEFAULT_SNAPSHOT_THRESHOLD);
  }

  /**
   * @param snapshotThreshold how many records a peer may lag behind this device before it is
   *     offered a snapshot of the current tree instead of a replay of every record
   */
  public Replicator(
      Replica replica, TrustStore trust, Duration antiEntropyInterval, long snapshotThreshold) {
    this.replica = replica;
    this.snapshotThreshold = snapshotThreshold;
    this.trust = trust;
    this.heldAtStart = recordsHeld();
    this.applier =
        Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon(true).name("gossipdrive-apply").factory());
    this.antiEntropy =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon(true).name("gossipdrive-anti-entropy").factory());
    long period = antiEntropyInterval.toMillis();
    antiEntropy.scheduleAtFixedRate(this::sendDigests, period, period, TimeUnit.MILLISECONDS);
    this.pushGate =
        new PushGate(
            (records, atomic) -> broadcast(records, null, atomic),
            replica.digest().getOrDefault(replica.options().device(), 0L));
    replica.onAuthored(pushGate::authored);
    this.pusher = new ChunkPusher(replica, bulk, fetcher::countDamaged);
    this.snapshots = new SnapshotServer(replica, pushGate::published);
    this.snapshotReceiver = new SnapshotReceiver(replica);
  }

  /** The snapshot this device is fetching or applying, if any. */
  public java.util.Optional<SnapshotProgress> snapshotProgress() {
    return snapshotReceiver.progress();
  }

  /** Where the drive holds this device's pushes while an app saves. */
  public PushGate pushGate() {
    return pushGate;
  }

  /** The most recent exchanges, newest last (at most 200). */
  public List<SyncEvent> history() {
    synchronized (history) {
      return List.copyOf(history);
    }
  }

  /** When records last moved between this device and {@code peer}, if ever. */
  public java.util.Optional<java.time.Instant> lastSync(DeviceId peer) {
    return java.util.Optional.ofNullable(lastSync.get(peer));
  }

  private void record(SyncEvent event) {
    lastSync.put(event.peer(), event.started().plus(event.duration()));
    synchronized (history) {
      history.addLast(event);
      while (history.size() > HISTORY) {
        history.removeFirst();
      }
    }
  }

  /** Per peer, chunks it sent whose bytes did not match their hash (refused, fetched elsewhere). */
  public Map<DeviceId, Long> damagedChunks() {
    return fetcher.damaged();
  }

  /** Chunks of big files peers sent while writing them, kept here ahead of their records. */
  public long chunksReceivedAhead() {
    return pusher.keptAhead();
  }

  /** Records refused so far (bad signature, unknown author, undecodable, bad chunks). */
  /**
   * How many records connected peers said they hold that this device has not applied yet: what the
   * initial sync after a join, or a return after a long absence, still has to fetch. Zero once
   * caught up with every digest received.
   */
  public long recordsBehind() {
    Map<DeviceId, Long> mine = replica.digest();
    long behind = 0;
    for (Map.Entry<DeviceId, Long> theirs : peersHave.entrySet()) {
      behind += Math.max(0, theirs.getValue() - mine.getOrDefault(theirs.getKey(), 0L));
    }
    return behind;
  }

  /** Records held, all authors together. */
  public long recordsHeld() {
    return replica.digest().values().stream().mapToLong(Long::longValue).sum();
  }

  /** Records held when this replicator started: what a sync's progress counts from. */
  public long recordsHeldAtStart() {
    return heldAtStart;
  }

  /** Whether a peer's digest arrived yet (before that, "behind" means nothing). */
  public boolean heardFromPeers() {
    return !peersHave.isEmpty();
  }

  public long rejectedRecords() {
    return rejected.get();
  }

  @Override
  public void onOpen(Connection connection) {
    if (connection.lane() == Lane.BULK) {
      bulk.put(connection.peer(), connection);
    } else if (connection.lane() == Lane.CONTROL) {
      control.put(connection.peer(), connection);
      sendDigest(connection);
    }
  }

  @Override
  public void onClose(Connection connection, String reason) {
    if (control.remove(connection.peer(), connection)) {
      peerDigests.remove(connection.peer());
    }
    if (bulk.remove(connection.peer(), connection)) {
      fetcher.peerLost(connection.peer());
      snapshotReceiver.peerLost(connection.peer());
    }
  }

  @Override
  public void onFrame(Connection connection, Frame frame) {
    if (trust.isRemoved(connection.peer())) {
      // Removed, its connections closing (ADR 39): it is served nothing more, and asks nothing.
      return;
    }
    switch (frame.getBodyCase()) {
      case INDEX_DIGEST -> sendMissing(connection, frame.getIndexDigest());
      case RECORD_BATCH -> {
        List<ByteString> records = frame.getRecordBatch().getRecordsList();
        boolean atomic = frame.getRecordBatch().getAtomic();
        applier.execute(() -> receive(connection.peer(), records, atomic));
      }
      case CHUNK_REQUEST -> chunkServer.execute(() -> serve(connection, frame.getChunkRequest()));
      case CHUNK_REPLY -> fetcher.reply(connection.peer(), frame.getChunkReply());
      case CHUNK_PUSH -> pusher.received(connection, frame.getChunkPush());
      case SNAPSHOT_OFFER ->
          offered(connection.peer(), frame.getSnapshotOffer().getRecordsBehind());
      case SNAPSHOT_REQUEST -> snapshots.requested(connection, frame.getSnapshotRequest());
      case SNAPSHOT_PART ->
          snapshotReceiver
              .part(connection.peer(), frame.getSnapshotPart())
              .ifPresent(arrived -> applier.execute(() -> applySnapshot(arrived)));
      default ->
          LOG.log(Level.DEBUG, "ignoring {0} from {1}", frame.getBodyCase(), connection.peer());
    }
  }

  // ---- index exchange ------------------------------------------------------------------------

  private void sendDigests() {
    snapshotReceiver.checkStalled();
    control.values().forEach(this::sendDigest);
  }

  private void sendDigest(Connection connection) {
    IndexDigest.Builder digest = IndexDigest.newBuilder();
    replica
        .digest()
        .forEach(
            (author, sequence) ->
                digest.addAuthors(
                    AuthorPosition.newBuilder().setAuthor(author.value()).setSequence(sequence)));
    send(connection, Frame.newBuilder().setIndexDigest(digest).build());
  }

  /** Sends the peer every record it lacks, by author, in bounded batches. */
  private void sendMissing(Connection connection, IndexDigest theirs) {
    Map<DeviceId, Long> known = new java.util.HashMap<>();
    for (AuthorPosition position : theirs.getAuthorsList()) {
      try {
        known.put(new DeviceId(position.getAuthor()), position.getSequence());
      } catch (IllegalArgumentException e) {
        LOG.log(
            Level.WARNING, "{0} sent a digest with a malformed author; ignored", connection.peer());
      }
    }
    known.forEach(
        (author, sequence) -> {
          long limit = trust.recordLimit(author);
          if (limit > 0) {
            // A removed author's records count only up to its removal (ADR 39).
            peersHave.merge(author, Math.min(sequence, limit), Math::max);
          }
        });
    peerDigests.put(connection.peer(), Map.copyOf(known));
    java.time.Instant started = java.time.Instant.now();
    long startNanos = System.nanoTime();
    Map<DeviceId, Long> floor = replica.snapshotFloor();
    Map<DeviceId, long[]> plan = new java.util.TreeMap<>();
    long behind = 0;
    boolean belowFloor = false;
    for (Map.Entry<DeviceId, Long> mine : replica.digest().entrySet()) {
      long upTo =
          mine.getKey().equals(replica.options().device())
              ? Math.min(mine.getValue(), pushGate.published())
              : Math.min(mine.getValue(), trust.recordLimit(mine.getKey()));
      long after =
          Math.max(
              known.getOrDefault(mine.getKey(), 0L),
              recentlySent(connection.peer(), mine.getKey()));
      if (after < upTo) {
        plan.put(mine.getKey(), new long[] {after, upTo});
        behind += upTo - after;
        belowFloor |= after < floor.getOrDefault(mine.getKey(), 0L);
      }
    }
    if ((behind >= snapshotThreshold || belowFloor) && takesSnapshots(connection)) {
      // This replica may not hold the records before its floor, and replaying a long history
      // costs more than the current tree: the peer is offered a snapshot instead.
      send(
          connection,
          Frame.newBuilder()
              .setSnapshotOffer(
                  org.gossipdrive.net.wire.proto.SnapshotOffer.newBuilder()
                      .setRecordsBehind(behind))
              .build());
      return;
    }
    int sent = 0;
    for (Map.Entry<DeviceId, long[]> entry : plan.entrySet()) {
      DeviceId author = entry.getKey();
      long after = entry.getValue()[0];
      long upTo = entry.getValue()[1];
      while (after < upTo) {
        List<FileVersion> records =
            replica.recordsAfter(author, after, 256).stream()
                .filter(r -> r.authorSequence() <= upTo)
                .toList();
        if (records.isEmpty()) {
          break;
        }
        sendRecords(connection, records, false);
        sent += records.size();
        after = records.getLast().authorSequence();
      }
    }
    if (sent > 0) {
      record(
          new SyncEvent(
              connection.peer(),
              started,
              java.time.Duration.ofNanos(System.nanoTime() - startNanos),
              0,
              0,
              0,
              sent,
              ""));
    }
  }

  /** Peers speaking protocol 1.3 or later understand snapshot offers. */
  private static boolean takesSnapshots(Connection connection) {
    var hello = connection.peerHello();
    return hello.getProtocolMajor() > 1 || hello.getProtocolMinor() >= 3;
  }

  // ---- joining from a snapshot ---------------------------------------------------------------

  /** A peer would rather send a snapshot than replay: ask it for one, unless one is under way. */
  private void offered(DeviceId peer, long recordsBehind) {
    if (!behind(peer)) {
      // A snapshot only ever helps a device that lacks records: one taken while level could
      // only move its floor, which is the one claim taken on the sender's word (ADR 33).
      LOG.log(Level.DEBUG, "{0} offered a snapshot, but this device is not behind it", peer);
      return;
    }
    snapshotReceiver
        .begin(peer)
        .ifPresent(
            requestId ->
                Thread.ofVirtual()
                    .name("gossipdrive-snapshot-request")
                    .start(
                        () -> {
                          try {
                            fetcher.awaitBulkLane(peer);
                            Connection lane = bulk.get(peer);
                            if (lane == null) {
                              throw new IOException("no bulk lane to " + peer);
                            }
                            LOG.log(
                                Level.INFO,
                                "{0} records behind {1}: asking it for a snapshot",
                                recordsBehind,
                                peer);
                            lane.send(
                                Frame.newBuilder()
                                    .setSnapshotRequest(
                                        org.gossipdrive.net.wire.proto.SnapshotRequest.newBuilder()
                                            .setRequestId(requestId))
                                    .build());
                          } catch (IOException e) {
                            snapshotReceiver.peerLost(peer);
                          }
                        }));
  }

  /**
   * Runs on the applier thread, so records pushed meanwhile wait in its queue (the seed's buffer)
   * and are applied after, duplicates dropped as usual. The checksum is checked before anything is
   * read; every record is checked like any other (signature, trusted author); the floor is adopted
   * only if every record applied, and then the peers replay what came after it.
   */
  private void applySnapshot(SnapshotReceiver.Arrived arrived) {
    DeviceId from = arrived.from();
    java.time.Instant started = java.time.Instant.now();
    long startNanos = System.nanoTime();
    long[] received = {0};
    List<FileVersion> applied = new ArrayList<>();
    String problem = null;
    conflictsInBatch = 0;
    try {
      org.gossipdrive.engine.snapshot.SnapshotFile file =
          org.gossipdrive.engine.snapshot.SnapshotFile.open(arrived.file());
      // The sender met every record up to its floor, and those in the file beyond it.
      java.util.Set<String> beyondFloor = new java.util.HashSet<>();
      java.util.function.Predicate<FileVersion> resolvedBySender =
          v ->
              v.authorSequence() <= file.floor().getOrDefault(v.author(), 0L)
                  || beyondFloor.contains(v.author() + "#" + v.authorSequence());
      String[] stop = {null};
      file.forEachBatch(
          256,
          batch -> {
            List<Pending> checked = new ArrayList<>(batch.size());
            for (FileVersion record : batch) {
              String why = problemWith(record);
              if (why != null) {
                reject(from, "in a snapshot: " + why);
                stop[0] = "it holds a record that fails its checks: " + why;
                return false;
              }
              if (record.authorSequence() > file.floor().getOrDefault(record.author(), 0L)) {
                beyondFloor.add(record.author() + "#" + record.authorSequence());
              }
              checked.add(new Pending(from, record, resolvedBySender));
            }
            unapplied = 0;
            applyBatch(from, checked, applied);
            received[0] += batch.size();
            snapshotReceiver.applied(batch.size());
            if (unapplied > 0) {
              stop[0] = unapplied + " of its records could not be applied yet";
              return false;
            }
            return true;
          });
      retryDeferred(applied);
      Map<DeviceId, Long> floor = new java.util.TreeMap<>();
      file.floor()
          .forEach(
              (author, sequence) -> {
                long limit = trust.recordLimit(author);
                if (limit > 0) {
                  floor.put(author, Math.min(sequence, limit));
                }
              });
      if (stop[0] == null
          && deferred.stream()
              .anyMatch(
                  p ->
                      p.record().authorSequence() <= floor.getOrDefault(p.record().author(), 0L))) {
        stop[0] = "some of its entries have no parent directory here";
      }
      if (stop[0] != null) {
        snapshotReceiver.distrust(from);
        problem = "snapshot not adopted: " + stop[0];
        LOG.log(Level.WARNING, "snapshot from {0} not adopted: {1}", from, stop[0]);
      } else {
        replica.adoptSnapshotFloor(floor);
        LOG.log(
            Level.INFO,
            "applied a snapshot from {0}: {1} records in {2} ms; replaying what came after it",
            from,
            received[0],
            (System.nanoTime() - startNanos) / 1_000_000);
        sendDigests();
      }
    } catch (org.gossipdrive.engine.snapshot.CorruptSnapshotException e) {
      snapshotReceiver.distrust(from);
      problem = "snapshot refused: " + e.getMessage();
      reject(from, problem);
    } catch (IOException | RuntimeException e) {
      problem = "snapshot not applied: " + e.getMessage();
      LOG.log(Level.WARNING, "snapshot from {0} not applied: {1}", from, e.toString());
    } finally {
      snapshotReceiver.finished();
    }
    record(
        new SyncEvent(
            from,
            started,
            java.time.Duration.ofNanos(System.nanoTime() - startNanos),
            (int) received[0],
            applied.size(),
            conflictsInBatch,
            0,
            problem == null ? "" : problem));
  }

  /**
   * Whether {@code peer}'s last digest holds records of a trusted author beyond this device's. Its
   * digest arrives before its offer: both go on the same control lane, the digest first.
   */
  private boolean behind(DeviceId peer) {
    Map<DeviceId, Long> theirs = peerDigests.get(peer);
    if (theirs == null) {
      return false;
    }
    Map<DeviceId, Long> mine = replica.digest();
    return theirs.entrySet().stream()
        .anyMatch(
            e ->
                Math.min(e.getValue(), trust.recordLimit(e.getKey()))
                    > mine.getOrDefault(e.getKey(), 0L));
  }

  /** Each connected peer's last digest: who holds which records, and so their chunks. */
  private final Map<DeviceId, Map<DeviceId, Long>> peerDigests = new ConcurrentHashMap<>();

  /** Connected peers whose last digest covers every one of {@code records}. */
  private List<DeviceId> holders(List<FileVersion> records) {
    List<DeviceId> out = new ArrayList<>();
    for (Map.Entry<DeviceId, Map<DeviceId, Long>> peer : peerDigests.entrySet()) {
      boolean holdsAll =
          records.stream()
              .allMatch(r -> peer.getValue().getOrDefault(r.author(), 0L) >= r.authorSequence());
      if (holdsAll) {
        out.add(peer.getKey());
      }
    }
    return out;
  }

  /** Fetches from the peer that sent the records and, like a swarm, from others holding them. */
  private org.gossipdrive.engine.commit.ChunkSource chunksFor(
      DeviceId from, List<FileVersion> records) {
    return fetcher.from(from, holders(records));
  }

  private void broadcast(List<FileVersion> records, DeviceId except, boolean atomic) {
    for (Connection connection : control.values()) {
      if (!connection.peer().equals(except) && !trust.isRemoved(connection.peer())) {
        sendRecords(connection, records, atomic);
      }
    }
  }

  /**
   * What was sent to a peer in the last few seconds (pushes and earlier answers) is still on its
   * way or being applied: anti-entropy does not send it again unless the peer's digest still lacks
   * it after that grace period.
   */
  private long recentlySent(DeviceId peer, DeviceId author) {
    Sent sent = sentTo.getOrDefault(peer, Map.of()).get(author);
    return sent == null || System.nanoTime() - sent.atNanos() > RESEND_AFTER_NANOS
        ? 0
        : sent.sequence();
  }

  private void noteSent(DeviceId peer, List<FileVersion> records) {
    Map<DeviceId, Sent> byAuthor = sentTo.computeIfAbsent(peer, k -> new ConcurrentHashMap<>());
    long now = System.nanoTime();
    for (FileVersion record : records) {
      byAuthor.merge(
          record.author(),
          new Sent(record.authorSequence(), now),
          (a, b) -> b.sequence() >= a.sequence() ? b : new Sent(a.sequence(), now));
    }
  }

  private record Sent(long sequence, long atNanos) {}

  private static final long RESEND_AFTER_NANOS = TimeUnit.SECONDS.toNanos(10);
  private final Map<DeviceId, Map<DeviceId, Sent>> sentTo = new ConcurrentHashMap<>();

  /**
   * Sends records in bounded batches; an atomic change that fits one batch travels as one, marked
   * so the receiver applies it in one step.
   */
  private void sendRecords(Connection connection, List<FileVersion> records, boolean atomic) {
    noteSent(connection.peer(), records);
    RecordBatch.Builder batch = RecordBatch.newBuilder().setAtomic(atomic);
    int bytes = 0;
    for (FileVersion record : records) {
      byte[] encoded = VersionCodec.encode(record);
      if (batch.getRecordsCount() > 0
          && (bytes + encoded.length > BATCH_BYTES || batch.getRecordsCount() == 1000)) {
        send(connection, Frame.newBuilder().setRecordBatch(batch).build());
        batch = RecordBatch.newBuilder().setAtomic(atomic);
        bytes = 0;
      }
      batch.addRecords(ByteString.copyFrom(encoded));
      bytes += encoded.length;
    }
    if (batch.getRecordsCount() > 0) {
      send(connection, Frame.newBuilder().setRecordBatch(batch).build());
    }
  }

  // ---- applying ------------------------------------------------------------------------------

  /** Runs on the single applier thread: records are applied in arrival order, one at a time. */
  private void receive(DeviceId from, List<ByteString> encoded, boolean atomic) {
    java.time.Instant started = java.time.Instant.now();
    long startNanos = System.nanoTime();
    long rejectedBefore = rejected.get();
    conflictsInBatch = 0;
    List<FileVersion> applied = new ArrayList<>();
    List<Pending> checked = new ArrayList<>();
    for (ByteString bytes : encoded) {
      FileVersion record;
      try {
        record = VersionCodec.decode(bytes.toByteArray(), "record from " + from);
      } catch (CorruptRecordException e) {
        reject(from, e.getMessage());
        continue;
      }
      String problem = problemWith(record);
      if (problem != null) {
        reject(from, problem);
        continue;
      }
      checked.add(new Pending(from, record));
    }
    if (atomic && checked.size() > 1) {
      applyTogether(from, checked, applied);
    } else {
      applyBatch(from, checked, applied);
    }
    retryDeferred(applied);
    if (!applied.isEmpty()) {
      broadcast(applied, from, atomic);
    }
    long refused = rejected.get() - rejectedBefore;
    record(
        new SyncEvent(
            from,
            started,
            java.time.Duration.ofNanos(System.nanoTime() - startNanos),
            encoded.size(),
            applied.size(),
            conflictsInBatch,
            0,
            refused == 0 ? "" : refused + " records refused"));
  }

  /** Why a checked-out record may not be used, or null if it may. */
  private String problemWith(FileVersion record) {
    var drive = trust.current();
    if (drive.isEmpty()) {
      return "this device belongs to no drive";
    }
    String problem = VersionSignatures.problem(record, drive.get());
    if (problem == null && record.authorSequence() <= 0) {
      return "record without an author sequence";
    }
    return problem;
  }

  /** Records whose parent was missing may apply now. */
  private void retryDeferred(List<FileVersion> applied) {
    boolean progress = true;
    while (progress && !deferred.isEmpty()) {
      progress = false;
      for (Pending pending : List.copyOf(deferred)) {
        deferred.remove(pending);
        int before = applied.size();
        apply(pending, applied);
        progress |= applied.size() > before;
      }
    }
  }

  /** Conflicts met while applying the current batch (applier thread only). */
  private int conflictsInBatch;

  /** Records of the current batch postponed or refused after their checks (applier thread only). */
  private int unapplied;

  /**
   * Applies a batch with few round trips: the small chunks all its records lack are fetched in one
   * go first, then every record is queued to the engine at once, so the commits of a thousand small
   * files share a few group commits instead of one each.
   */
  private void applyBatch(DeviceId from, List<Pending> batch, List<FileVersion> applied) {
    org.gossipdrive.engine.commit.ChunkSource network =
        chunksFor(from, batch.stream().map(Pending::record).toList());
    Map<ChunkId, byte[]> prefetched = prefetchSmallChunks(network, batch);
    org.gossipdrive.engine.commit.ChunkSource source =
        (ids, sink) -> {
          List<ChunkId> rest = new ArrayList<>();
          for (ChunkId id : ids) {
            byte[] data = prefetched.get(id);
            if (data == null || !sink.accept(id, data)) {
              rest.add(id); // a damaged prefetch is asked again, and its sender counted
            }
          }
          network.fetch(rest, sink);
        };
    List<java.util.concurrent.CompletableFuture<ApplyOutcome>> outcomes = new ArrayList<>();
    for (Pending pending : batch) {
      try {
        outcomes.add(
            replica.applyRemoteAsync(pending.record(), source, pending.resolvedBySender()));
      } catch (IOException | RuntimeException e) {
        outcomes.add(java.util.concurrent.CompletableFuture.failedFuture(e));
      }
    }
    for (int i = 0; i < batch.size(); i++) {
      Pending pending = batch.get(i);
      try {
        settle(pending, outcomes.get(i).join(), applied);
      } catch (java.util.concurrent.CompletionException e) {
        failed(pending, e.getCause() == null ? e : e.getCause());
      }
    }
  }

  /** Applies an atomic change: all its records become visible in one commit. */
  private void applyTogether(DeviceId from, List<Pending> batch, List<FileVersion> applied) {
    List<java.util.concurrent.CompletableFuture<ApplyOutcome>> outcomes;
    try {
      outcomes =
          replica.applyRemoteTogetherAsync(
              batch.stream().map(Pending::record).toList(),
              chunksFor(from, batch.stream().map(Pending::record).toList()));
    } catch (IOException | RuntimeException e) {
      batch.forEach(pending -> failed(pending, e));
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      try {
        settle(batch.get(i), outcomes.get(i).join(), applied);
      } catch (java.util.concurrent.CompletionException e) {
        failed(batch.get(i), e.getCause() == null ? e : e.getCause());
      }
    }
  }

  private static final int PREFETCH_CHUNK_LIMIT = 1 << 20;
  private static final long PREFETCH_TOTAL_LIMIT = 64L << 20;

  private Map<ChunkId, byte[]> prefetchSmallChunks(
      org.gossipdrive.engine.commit.ChunkSource network, List<Pending> batch) {
    java.util.LinkedHashSet<ChunkId> wanted = new java.util.LinkedHashSet<>();
    long total = 0;
    for (Pending pending : batch) {
      for (var chunk : pending.record().storedChunks()) {
        if (chunk.length() <= PREFETCH_CHUNK_LIMIT
            && total + chunk.length() <= PREFETCH_TOTAL_LIMIT
            && !wanted.contains(chunk.id())
            && !replica.chunkStore().contains(chunk.id())) {
          wanted.add(chunk.id());
          total += chunk.length();
        }
      }
    }
    Map<ChunkId, byte[]> out = new ConcurrentHashMap<>();
    if (wanted.isEmpty()) {
      return out;
    }
    try {
      network.fetch(
          List.copyOf(wanted),
          (id, raw) -> {
            out.put(id, raw); // checked when a record takes it
            return true;
          });
    } catch (IOException e) {
      // whatever arrived is used; the rest is fetched record by record
    }
    return out;
  }

  private void settle(Pending pending, ApplyOutcome outcome, List<FileVersion> applied) {
    switch (outcome) {
      case PARENT_MISSING -> deferred.add(pending);
      case CONFLICT -> {
        conflictsInBatch++;
        applied.add(pending.record());
      }
      case DUPLICATE -> {
        // relayed by more than one peer: applied once
      }
      default -> applied.add(pending.record());
    }
  }

  private void failed(Pending pending, Throwable e) {
    unapplied++;
    if (e instanceof IOException) {
      LOG.log(
          Level.INFO,
          "postponed {0}#{1} from {2}: {3}",
          pending.record().author(),
          pending.record().authorSequence(),
          pending.from(),
          e.getMessage());
    } else {
      reject(
          pending.from(),
          "cannot apply "
              + pending.record().author()
              + "#"
              + pending.record().authorSequence()
              + ": "
              + e.getMessage());
    }
  }

  private void apply(Pending pending, List<FileVersion> applied) {
    try {
      settle(
          pending,
          replica
              .applyRemoteAsync(
                  pending.record(),
                  chunksFor(pending.from(), List.of(pending.record())),
                  pending.resolvedBySender())
              .join(),
          applied);
    } catch (java.util.concurrent.CompletionException e) {
      failed(pending, e.getCause() == null ? e : e.getCause());
    } catch (IOException | RuntimeException e) {
      failed(pending, e);
    }
  }

  private void reject(DeviceId from, String why) {
    rejected.incrementAndGet();
    LOG.log(Level.WARNING, "dropped a record from {0}: {1}", from, why);
  }

  // ---- serving chunks ------------------------------------------------------------------------

  private void serve(Connection connection, ChunkRequest request) {
    for (ByteString id : request.getIdsList()) {
      ChunkReply.Builder reply =
          ChunkReply.newBuilder().setRequestId(request.getRequestId()).setId(id);
      try {
        reply.setData(
            ByteString.copyFrom(replica.chunkStore().readShared(ChunkId.of(id.toByteArray()))));
      } catch (RuntimeException e) {
        // missing or corrupt here: the requester asks someone else
        reply.setMissing(true);
      }
      send(connection, Frame.newBuilder().setChunkReply(reply).build());
    }
  }

  private static void send(Connection connection, Frame frame) {
    try {
      connection.send(frame);
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "send to {0} failed: {1}", connection, e.getMessage());
    }
  }

  /** Stops exchanging; waits for the record being applied, so the replica can close after it. */
  @Override
  public void close() {
    antiEntropy.shutdownNow();
    pusher.close();
    snapshots.close();
    applier.shutdown();
    chunkServer.shutdown();
    try {
      if (!applier.awaitTermination(30, TimeUnit.SECONDS)) {
        applier.shutdownNow();
      }
      chunkServer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
