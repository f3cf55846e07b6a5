package org.gossipdrive.engine.commit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.gossipdrive.engine.chunk.EncodedChunk;
import org.gossipdrive.engine.codec.CorruptRecordException;
import org.gossipdrive.engine.ledger.ChainHead;
import org.gossipdrive.engine.ledger.LedgerEntry;
import org.gossipdrive.engine.store.ChunkStore;
import org.gossipdrive.engine.store.Frontiers;
import org.gossipdrive.engine.store.Ledger;
import org.gossipdrive.engine.store.RecordLog;
import org.gossipdrive.engine.store.ReplicaDb;
import org.gossipdrive.engine.store.ReplicaDb.Column;
import org.gossipdrive.engine.store.StoreException;
import org.gossipdrive.engine.store.TreeIndex;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileVersion;
import org.gossipdrive.engine.tree.HybridClock;
import org.gossipdrive.engine.tree.StoredVersion;
import org.gossipdrive.engine.tree.TreeException;
import org.gossipdrive.engine.tree.VersionCodec;
import org.rocksdb.WriteBatch;

/**
 * The single writer of the replica. Callers queue changes; a platform-thread caller that finds no
 * commit in progress, or else the writer thread, takes everything queued, checks each change
 * against the tree as it stands (including earlier changes of the same group), chains a ledger
 * entry per change, and writes the whole group as ONE RocksDB batch: one WAL write, and one sync
 * when any member asked for durability (group commit).
 */
public final class GroupCommitter implements AutoCloseable {
  private static final int MAX_GROUP = 4096;
  private static final long MAX_GROUP_BYTES = 64L << 20;

  /** A queued change. */
  private sealed interface Request permits VersionRequest, PruneRequest, Bundle {
    CompletableFuture<CommitResult> result();

    boolean durable();
  }

  private record VersionRequest(
      Mutation mutation,
      List<EncodedChunk> inlineChunks,
      Optional<PendingUpload> upload,
      boolean unloggedChunks,
      boolean durable,
      CompletableFuture<CommitResult> result)
      implements Request {}

  /** Changes that must become visible together: never split across two groups (batches). */
  private record Bundle(List<VersionRequest> members, CompletableFuture<CommitResult> result)
      implements Request {
    @Override
    public boolean durable() {
      return false;
    }
  }

  private record PruneRequest(List<StoredVersion> drop, CompletableFuture<CommitResult> result)
      implements Request {
    @Override
    public boolean durable() {
      return false;
    }
  }

  private final ReplicaDb db;
  private final ChunkStore chunks;
  private final TreeIndex tree;
  private final RecordLog records;
  private final Frontiers frontiers;
  private final Ledger ledger;
  private final HybridClock clock;
  private final Stamper stamper;
  private final TreeView view;
  private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();

  /** Held by the thread committing a group: the one writer at any time. */
  private final java.util.concurrent.locks.ReentrantLock writing =
      new java.util.concurrent.locks.ReentrantLock();

  private final Thread writer;
  private volatile boolean closing;
  private volatile Consumer<List<FileVersion>> onAuthored = versions -> {};

  /** Chunks were written outside the WAL by someone else than a queued commit (a peer's push). */
  private volatile boolean unloggedPending;

  private volatile Consumer<List<FileVersion>> onChangedByPeers = versions -> {};
  private ChainHead head;

  public GroupCommitter(
      ReplicaDb db,
      ChunkStore chunks,
      TreeIndex tree,
      RecordLog records,
      Ledger ledger,
      HybridClock clock,
      Stamper stamper) {
    this.db = db;
    this.chunks = chunks;
    this.tree = tree;
    this.records = records;
    this.ledger = ledger;
    this.clock = clock;
    this.stamper = stamper;
    this.view = new TreeView(tree, records, new Frontiers(db));
    this.frontiers = new Frontiers(db);
    this.head = ledger.head();
    this.writer = Thread.ofPlatform().name("gossipdrive-commit").daemon(true).start(this::run);
  }

  /**
   * Queues a tree change.
   *
   * @param inlineChunks new chunks to write in the same atomic batch
   * @param upload the marker of chunks already written outside the WAL, if any
   * @param durable whether the commit must survive a power cut before the future completes
   */
  public CompletableFuture<CommitResult> submit(
      Mutation mutation,
      List<EncodedChunk> inlineChunks,
      Optional<PendingUpload> upload,
      boolean durable) {
    return enqueue(
        new VersionRequest(
            mutation,
            List.copyOf(inlineChunks),
            upload,
            upload.isPresent(),
            durable,
            new CompletableFuture<>()));
  }

  /**
   * Queues changes that readers must see all at once or not at all (an app's save applied from a
   * peer): they are committed in one group, hence one atomic write. Each has its own result.
   */
  public List<CompletableFuture<CommitResult>> submitTogether(List<Together> changes) {
    List<VersionRequest> members = new ArrayList<>();
    for (Together change : changes) {
      members.add(
          new VersionRequest(
              change.mutation(),
              List.copyOf(change.inlineChunks()),
              change.upload(),
              change.upload().isPresent(),
              false,
              new CompletableFuture<>()));
    }
    Bundle bundle = new Bundle(List.copyOf(members), new CompletableFuture<>());
    enqueue(bundle);
    return members.stream().map(VersionRequest::result).toList();
  }

  /** One change of a {@link #submitTogether} call. */
  public record Together(
      Mutation mutation, List<EncodedChunk> inlineChunks, Optional<PendingUpload> upload) {}

  /** Queues the removal of history versions (never heads) and their chunk references. */
  public CompletableFuture<CommitResult> prune(List<StoredVersion> drop) {
    return enqueue(new PruneRequest(List.copyOf(drop), new CompletableFuture<>()));
  }

  private CompletableFuture<CommitResult> enqueue(Request request) {
    if (closing) {
      StoreException closed = new StoreException("the replica is closed");
      request.result().completeExceptionally(closed);
      if (request instanceof Bundle bundle) {
        bundle.members().forEach(m -> m.result().completeExceptionally(closed));
      }
      return request.result();
    }
    queue.add(request);
    if (Thread.currentThread().isVirtual()) {
      // A virtual thread must not run long native calls (RocksDB flush, WAL sync): they would
      // pin one of the few carrier threads every virtual thread shares. The writer thread commits.
      java.util.concurrent.locks.LockSupport.unpark(writer);
    } else {
      lead();
    }
    return request.result();
  }

  /**
   * Commits what is queued if no other thread is committing (that thread, or the writer thread,
   * then takes this request in its next group). The submitting thread doing the work itself saves
   * two thread hand-offs per commit, which dominated small-file latency on the mounted drive.
   * Groups always start at the head of the queue, so one caller's changes keep their order.
   */
  private void lead() {
    if (writing.isHeldByCurrentThread()) {
      return; // a listener of this thread's group: its request goes in the next group
    }
    while (!queue.isEmpty() && writing.tryLock()) {
      try {
        commitQueued();
      } finally {
        writing.unlock();
      }
    }
  }

  /** The writer thread: commits for virtual threads, and whatever a leader left behind. */
  private void run() {
    while (!closing) {
      if (queue.isEmpty()) {
        java.util.concurrent.locks.LockSupport.parkNanos(this, 50_000_000L);
        continue;
      }
      writing.lock();
      try {
        while (!queue.isEmpty()) {
          commitQueued();
        }
      } finally {
        writing.unlock();
      }
    }
  }

  private void commitQueued() {
    List<Request> group = new ArrayList<>();
    long bytes = 0;
    while (group.size() < MAX_GROUP && bytes < MAX_GROUP_BYTES) {
      Request next = queue.poll();
      if (next == null) {
        break;
      }
      if (next instanceof Bundle bundle) {
        group.addAll(bundle.members());
        bytes += bundle.members().stream().mapToLong(GroupCommitter::size).sum();
        continue;
      }
      group.add(next);
      bytes += size(next);
    }
    if (!group.isEmpty()) {
      commitGroup(group);
    }
  }

  private static long size(Request request) {
    return request instanceof VersionRequest v
        ? v.inlineChunks().stream().mapToLong(c -> c.stored().length).sum()
        : 0;
  }

  private void commitGroup(List<Request> group) {
    List<Runnable> completions = new ArrayList<>();
    boolean sync = false;
    try (WriteBatch batch = db.newBatch()) {
      if (unloggedPending
          || group.stream().anyMatch(r -> r instanceof VersionRequest v && v.unloggedChunks())) {
        unloggedPending = false;
        chunks.flush();
      }
      ChainHead groupHead = head;
      List<FileVersion> groupLogged = new ArrayList<>();
      List<FileVersion> fromPeers = new ArrayList<>();
      long groupSequenceMark = stamper.mark();
      view.clear();
      for (Request request : group) {
        int savepoint = view.savepoint();
        long sequenceMark = stamper.mark();
        try {
          Staged staged = stage(request, groupHead);
          staged.apply(batch);
          groupLogged.addAll(staged.logged());
          groupHead = staged.head();
          sync |= request.durable();
          CommitResult result = staged.result();
          if (fromPeer(request)) {
            result.versions().forEach(v -> fromPeers.add(v.version()));
          }
          completions.add(() -> request.result().complete(result));
        } catch (TreeException
            | IllegalArgumentException
            | CorruptRecordException
            | StoreException e) {
          view.rollback(savepoint);
          stamper.rollback(sequenceMark);
          request.result().completeExceptionally(e);
        }
      }
      view.frontierChanges().forEach((id, members) -> frontiers.stage(batch, id, members));
      try {
        db.write(batch, sync);
      } catch (RuntimeException e) {
        stamper.rollback(groupSequenceMark);
        throw e;
      } finally {
        tree.batchWritten();
      }
      head = groupHead;
      records.committed(groupLogged);
      if (!fromPeers.isEmpty()) {
        // Before the completions: whoever waits for an apply then finds the mount told.
        onChangedByPeers.accept(fromPeers);
      }
      completions.forEach(Runnable::run);
      List<FileVersion> authored = new ArrayList<>();
      for (Request request : group) {
        if (request.result().isDone() && !request.result().isCompletedExceptionally()) {
          for (StoredVersion v : request.result().join().versions()) {
            if (v.version().authorSequence() > 0 && v.version().author().equals(stamper.device())) {
              authored.add(v.version());
            }
          }
        }
      }
      if (!authored.isEmpty()) {
        onAuthored.accept(authored);
      }
    } catch (RuntimeException e) {
      head = ledger.head();
      for (Request request : group) {
        request.result().completeExceptionally(e);
      }
    } finally {
      view.clear();
    }
  }

  /**
   * Whether the change comes from another device's records (its result may add a conflict copy).
   */
  private static boolean fromPeer(Request request) {
    return switch (request) {
      case VersionRequest v -> v.mutation() instanceof RemoteApply;
      case Bundle b -> b.members().stream().anyMatch(m -> m.mutation() instanceof RemoteApply);
      case PruneRequest p -> false;
    };
  }

  /** A checked change, ready to add to the group's batch. */
  private record Staged(
      ChainHead head, CommitResult result, Consumer<WriteBatch> writes, List<FileVersion> logged) {
    void apply(WriteBatch batch) {
      writes.accept(batch);
    }
  }

  private Staged stage(Request request, ChainHead previous) {
    long sequence = previous.sequence() + 1;
    return switch (request) {
      case VersionRequest v -> stageVersions(v, previous, sequence);
      case PruneRequest p -> stagePrune(p, previous, sequence);
      case Bundle b -> throw new IllegalStateException("bundles are opened when queued");
    };
  }

  private Staged stageVersions(VersionRequest request, ChainHead previous, long sequence) {
    List<FileVersion> heads = request.mutation().apply(view, stamper);
    List<FileVersion> logOnly =
        request.mutation() instanceof RecordCarrier carrier ? carrier.recordsToLog() : List.of();
    if (heads.isEmpty() && logOnly.isEmpty()) {
      // Nothing to record (a duplicate): only the upload marker goes; its chunks are orphans for
      // GC.
      return new Staged(
          previous,
          new CommitResult(previous.sequence(), List.of()),
          batch -> request.upload().ifPresent(u -> db.delete(batch, Column.META, u.key())),
          List.of());
    }
    List<StoredVersion> stored = new ArrayList<>();
    List<Optional<StoredVersion>> replaced = new ArrayList<>();
    // One change may touch an entry twice (renamed out of a clash, then updated): every step is
    // a record, but only the last is the head and the stored version.
    java.util.Map<FileId, Integer> lastIndex = new java.util.HashMap<>();
    for (int i = 0; i < heads.size(); i++) {
      lastIndex.put(heads.get(i).id(), i);
    }
    List<FileVersion> superseded = new ArrayList<>();
    // What each entry was before this change: the on-disk index entries to replace.
    java.util.Map<FileId, Optional<StoredVersion>> before = new java.util.HashMap<>();
    for (int i = 0; i < heads.size(); i++) {
      FileVersion next = heads.get(i);
      TreeRules.check(view, next);
      before.computeIfAbsent(next.id(), view::stored);
      if (lastIndex.get(next.id()) != i) {
        // Later heads of this change must see it (e.g. the name it freed).
        view.accept(new StoredVersion(sequence, next), view.stored(next.id()));
        if (next.authorSequence() > 0) {
          superseded.add(next);
          view.noteRecord(next);
          view.addToFrontier(next);
        }
        continue;
      }
      StoredVersion version = new StoredVersion(sequence, next);
      view.accept(version, view.stored(next.id()));
      if (next.authorSequence() > 0) {
        view.noteRecord(next);
        view.addToFrontier(next);
      }
      stored.add(version);
      replaced.add(before.get(next.id()));
    }
    logOnly.forEach(view::noteRecord);
    logOnly.forEach(view::addToFrontier);
    List<Ledger.Appended> entries = new ArrayList<>();
    if (!heads.isEmpty()) {
      entries.add(chained(previous, LedgerEntry.Kind.VERSIONS, heads));
    }
    if (!logOnly.isEmpty()) {
      entries.add(
          chained(
              entries.isEmpty() ? previous : entries.getLast().head(),
              LedgerEntry.Kind.RECORDS,
              logOnly));
    }
    Ledger.Appended appended = entries.getLast();
    Consumer<WriteBatch> writes =
        batch -> {
          for (EncodedChunk chunk : request.inlineChunks()) {
            chunks.put(batch, chunk);
          }
          for (int i = 0; i < stored.size(); i++) {
            tree.stageHead(batch, stored.get(i), replaced.get(i));
            records.stage(batch, stored.get(i).version());
            stored
                .get(i)
                .version()
                .storedChunks()
                .forEach(c -> chunks.addReferences(batch, c.id(), 1));
          }
          logOnly.forEach(record -> records.stage(batch, record));
          superseded.forEach(record -> records.stage(batch, record));
          request.upload().ifPresent(u -> db.delete(batch, Column.META, u.key()));
          entries.forEach(e -> ledger.stage(batch, e));
        };
    List<FileVersion> logged = new ArrayList<>(heads);
    logged.addAll(logOnly);
    return new Staged(appended.head(), new CommitResult(sequence, stored), writes, logged);
  }

  /** The ledger entry that follows {@code chain}, recording {@code versions}. */
  private Ledger.Appended chained(
      ChainHead chain, LedgerEntry.Kind kind, List<FileVersion> versions) {
    return Ledger.prepare(
        new LedgerEntry(
            chain.sequence() + 1,
            chain.hash(),
            clock.now(),
            kind,
            versions.stream().map(VersionCodec::encode).toList()));
  }

  private Staged stagePrune(PruneRequest request, ChainHead previous, long sequence) {
    List<byte[]> keys = new ArrayList<>();
    List<StoredVersion> dropped = new ArrayList<>();
    for (StoredVersion candidate : request.drop()) {
      Optional<StoredVersion> current = view.stored(candidate.id());
      boolean isHead = current.isPresent() && current.get().sequence() == candidate.sequence();
      if (isHead || tree.version(candidate.id(), candidate.sequence()).isEmpty()) {
        continue;
      }
      dropped.add(candidate);
      keys.add(TreeIndex.versionKey(candidate.id(), candidate.sequence()));
    }
    LedgerEntry entry =
        new LedgerEntry(sequence, previous.hash(), clock.now(), LedgerEntry.Kind.PRUNE, keys);
    Ledger.Appended appended = Ledger.prepare(entry);
    Consumer<WriteBatch> writes =
        batch -> {
          for (StoredVersion version : dropped) {
            tree.stageForget(batch, version.id(), version.sequence());
            version.version().storedChunks().forEach(c -> chunks.addReferences(batch, c.id(), -1));
          }
          ledger.stage(batch, appended);
        };
    return new Staged(appended.head(), new CommitResult(sequence, dropped), writes, List.of());
  }

  /**
   * Chunks are about to be written outside the WAL apart from any commit: the next group flushes
   * them first, so no commit can reference a chunk a crash would lose. Call before writing.
   */
  public void unloggedChunksComing() {
    unloggedPending = true;
  }

  /**
   * Called on the committing thread after each group with the records this device authored in it.
   */
  public void onAuthored(Consumer<List<FileVersion>> listener) {
    this.onAuthored = listener;
  }

  /**
   * Called on the committing thread after each group with the entries that other devices' records
   * changed in it (the mount uses it to drop what the kernel cached about them, and its open files
   * to read the change). Each listener added runs after those added before.
   */
  public synchronized void onChangedByPeers(Consumer<List<FileVersion>> listener) {
    this.onChangedByPeers = onChangedByPeers.andThen(listener);
  }

  /** Stops taking changes and commits everything already queued. */
  @Override
  public void close() {
    closing = true;
    java.util.concurrent.locks.LockSupport.unpark(writer);
    try {
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writing.lock();
    try {
      while (!queue.isEmpty()) {
        commitQueued();
      }
    } finally {
      writing.unlock();
    }
  }
}
