package org.gossipdrive.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.StampedLock;
import org.gossipdrive.engine.chunk.ChunkCodec;
import org.gossipdrive.engine.chunk.ChunkPipeline;
import org.gossipdrive.engine.commit.ApplyOutcome;
import org.gossipdrive.engine.commit.ChunkSource;
import org.gossipdrive.engine.commit.CommitResult;
import org.gossipdrive.engine.commit.ContentWriter;
import org.gossipdrive.engine.commit.GroupCommitter;
import org.gossipdrive.engine.commit.IntermediateRecord;
import org.gossipdrive.engine.commit.Mutation;
import org.gossipdrive.engine.commit.Mutations;
import org.gossipdrive.engine.commit.RemoteApply;
import org.gossipdrive.engine.commit.StagedContent;
import org.gossipdrive.engine.commit.Stamper;
import org.gossipdrive.engine.maintenance.GarbageCollector;
import org.gossipdrive.engine.maintenance.GcReport;
import org.gossipdrive.engine.maintenance.Recovery;
import org.gossipdrive.engine.maintenance.Verifier;
import org.gossipdrive.engine.maintenance.VerifyReport;
import org.gossipdrive.engine.read.ChunkCache;
import org.gossipdrive.engine.read.VersionInputStream;
import org.gossipdrive.engine.read.VersionReader;
import org.gossipdrive.engine.store.ChunkStore;
import org.gossipdrive.engine.store.Ledger;
import org.gossipdrive.engine.store.RecordLog;
import org.gossipdrive.engine.store.ReplicaDb;
import org.gossipdrive.engine.store.StoreException;
import org.gossipdrive.engine.store.TreeIndex;
import org.gossipdrive.engine.tree.ChunkRef;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileType;
import org.gossipdrive.engine.tree.FileVersion;
import org.gossipdrive.engine.tree.HybridClock;
import org.gossipdrive.engine.tree.StoredVersion;
import org.gossipdrive.engine.tree.TreeException;

/**
 * One device's replica of the drive: the entry point the drive and the network use. It wires the
 * chunk store, tree, ledger and committer together and adds no logic of its own beyond the
 * garbage-collection gate.
 */
public final class Replica implements AutoCloseable {
  private final ReplicaDb db;
  private final ReplicaOptions options;
  private final ChunkStore chunks;
  private final TreeIndex tree;
  private final RecordLog records;
  private final Ledger ledger;
  private final GroupCommitter committer;
  private final ContentWriter contentWriter;
  private final ExecutorService workers;
  private final ChunkCache cache;
  private final ChunkCodec codec = new ChunkCodec();
  private final Recovery.Report recovery;
  private final org.gossipdrive.engine.store.CloseJournal closeJournal;

  /** Writers hold it shared from chunk write to commit; GC and verify hold it exclusively. */
  private final StampedLock gate = new StampedLock();

  private final Path spool;

  private Replica(Path directory, ReplicaOptions options) {
    this.options = options;
    this.spool = directory.resolve("spool");
    clearSpool(spool);
    this.db = ReplicaDb.open(directory);
    try {
      this.ledger = new Ledger(db);
      this.recovery = new Recovery(db, ledger).run();
      this.chunks = new ChunkStore(db, codec);
      this.tree = new TreeIndex(db);
      HybridClock clock = new HybridClock();
      if (ledger.head().sequence() > 0) {
        clock.observe(ledger.read(ledger.head().sequence()).timestamp());
      }
      this.workers =
          Executors.newFixedThreadPool(
              options.workers(),
              Thread.ofPlatform().daemon(true).name("gossipdrive-chunk-", 0).factory());
      this.cache = new ChunkCache(options.cacheBytes());
      this.records = new RecordLog(db);
      this.closeJournal = new org.gossipdrive.engine.store.CloseJournal(db);
      Stamper stamper =
          new Stamper(
              options.device(), clock, options.signer(), records.lastSequence(options.device()));
      this.committer = new GroupCommitter(db, chunks, tree, records, ledger, clock, stamper);
      ChunkPipeline pipeline =
          new ChunkPipeline(options.chunker(), codec, workers, 2 * options.workers() + 2);
      this.contentWriter = new ContentWriter(pipeline, chunks, db, options.inlineLimit());
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
    if (tree.head(FileId.ROOT).isEmpty()) {
      commit(Mutations.createRoot(System.currentTimeMillis() * 1_000_000L), true);
    }
  }

  /**
   * Opens the replica stored in {@code directory}, creating it if empty, after recovery.
   *
   * @throws StoreException with a readable reason if the store is damaged or not ours
   */
  private final org.gossipdrive.engine.maintenance.VerifyProgress verifyProgress =
      new org.gossipdrive.engine.maintenance.VerifyProgress();

  public static Replica open(Path directory, ReplicaOptions options) {
    return new Replica(directory, options);
  }

  public ReplicaOptions options() {
    return options;
  }

  public Recovery.Report recoveryReport() {
    return recovery;
  }

  // ---- reading -------------------------------------------------------------------------------

  public Optional<FileVersion> head(FileId id) {
    return tree.head(id).map(StoredVersion::version);
  }

  public Optional<FileVersion> lookup(FileId directory, String name) {
    return tree.child(directory, name).flatMap(this::head);
  }

  /** Resolves a slash-separated path from the root ("/" or "" is the root). */
  public Optional<FileVersion> resolve(String path) {
    Optional<FileVersion> current = head(FileId.ROOT);
    for (String part : path.split("/")) {
      if (part.isEmpty() || current.isEmpty()) {
        continue;
      }
      current = lookup(current.get().id(), part);
    }
    return current;
  }

  public List<FileVersion> list(FileId directory) {
    return tree.list(directory).stream().map(StoredVersion::version).toList();
  }

  public List<StoredVersion> history(FileId id) {
    return tree.history(id);
  }

  public Optional<StoredVersion> version(FileId id, long sequence) {
    return tree.version(id, sequence);
  }

  public VersionReader reader(FileVersion version) {
    return new VersionReader(version, chunks, cache, workers);
  }

  public InputStream stream(FileVersion version) {
    return new VersionInputStream(reader(version));
  }

  /** What close() accepted before the tree holds it (the drive's small new files, ADR 36). */
  public org.gossipdrive.engine.store.CloseJournal closeJournal() {
    return closeJournal;
  }

  public ChunkStore chunkStore() {
    return chunks;
  }

  /** Per author, the highest record sequence held without gaps: what replication compares. */
  public java.util.Map<org.gossipdrive.engine.tree.DeviceId, Long> digest() {
    return records.digest();
  }

  /**
   * Writes a snapshot of the current tree to {@code file}: every entry's frontier records plus the
   * floor they cover (this replica's digest, with its own records counted only up to {@code
   * ownPublished}: the ones after that are still held back and stay out).
   *
   * @return the floor written and the number of records
   */
  public SnapshotSummary takeSnapshot(Path file, long ownPublished) throws IOException {
    org.gossipdrive.engine.tree.DeviceId self = options.device();
    java.util.Map<org.gossipdrive.engine.tree.DeviceId, Long> floor = records.digest();
    floor.computeIfPresent(self, (k, held) -> Math.min(held, ownPublished));
    // Each author's floor is the sequence of a record this replica holds, and that record goes
    // in the file, so the receiver can check the claim against what it receives (ADR 33).
    java.util.Map<org.gossipdrive.engine.tree.DeviceId, FileVersion> heads =
        records.headsAtOrBelow(floor);
    floor.clear();
    heads.forEach((author, head) -> floor.put(author, head.authorSequence()));
    long count =
        new org.gossipdrive.engine.snapshot.SnapshotTaker(
                new org.gossipdrive.engine.store.Frontiers(db))
            .write(
                file,
                floor,
                r -> !r.author().equals(self) || r.authorSequence() <= ownPublished,
                heads);
    return new SnapshotSummary(java.util.Map.copyOf(floor), count);
  }

  /**
   * A new empty file beside the store for transient bulk data (snapshots being sent or received);
   * the caller deletes it, and whatever a crash leaves is removed when the replica next opens.
   */
  public Path newSpoolFile(String prefix) throws IOException {
    org.gossipdrive.engine.store.OwnerOnly.createDirectories(spool);
    return java.nio.file.Files.createTempFile(
        spool, prefix, ".tmp", org.gossipdrive.engine.store.OwnerOnly.fileAttributes());
  }

  private static void clearSpool(Path spool) {
    if (!java.nio.file.Files.isDirectory(spool)) {
      return;
    }
    try (var leftovers = java.nio.file.Files.list(spool)) {
      for (Path file : leftovers.toList()) {
        java.nio.file.Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      // leftovers only take space; the next open tries again
    }
  }

  /** What {@link #takeSnapshot} wrote. */
  public record SnapshotSummary(
      java.util.Map<org.gossipdrive.engine.tree.DeviceId, Long> floor, long records) {}

  /**
   * Adopts a snapshot's floor once all of its records are applied: the digest then counts every
   * record up to it as held, and replication asks peers only for what came after.
   */
  public void adoptSnapshotFloor(java.util.Map<org.gossipdrive.engine.tree.DeviceId, Long> floor) {
    records.raiseFloor(floor);
  }

  /** The floor of the snapshots this replica adopted (empty if it replayed every record). */
  public java.util.Map<org.gossipdrive.engine.tree.DeviceId, Long> snapshotFloor() {
    return records.floor();
  }

  /** Up to {@code limit} signed records of {@code author} after {@code afterSequence}, in order. */
  public List<FileVersion> recordsAfter(
      org.gossipdrive.engine.tree.DeviceId author, long afterSequence, int limit) {
    return records.after(author, afterSequence, limit);
  }

  // ---- writing -------------------------------------------------------------------------------

  /** Writes {@code content} to {@code name} in {@code parent} (creating or replacing it). */
  public CommitResult writeFile(
      FileId parent, String name, InputStream content, int mode, boolean durable)
      throws IOException {
    return join(writeFileAsync(parent, name, content, mode, durable));
  }

  /**
   * Chunks and stores the content on the calling thread, then queues the commit. Many calls in
   * flight share group commits, which is how thousands of small files per second are durable.
   */
  public CompletableFuture<CommitResult> writeFileAsync(
      FileId parent, String name, InputStream content, int mode, boolean durable)
      throws IOException {
    long now = System.currentTimeMillis() * 1_000_000L;
    return withContent(content, c -> Mutations.writeFile(parent, name, c, mode, now), durable);
  }

  /**
   * Creates file {@code id} as {@code name} in {@code parent} with {@code content}, in one commit;
   * fails with ALREADY_EXISTS if the name is taken, NOT_FOUND if the parent is gone.
   */
  public CompletableFuture<CommitResult> createFileAsync(
      FileId id,
      FileId parent,
      String name,
      int mode,
      InputStream content,
      java.util.function.LongSupplier mtimeNanos,
      boolean durable)
      throws IOException {
    return withContent(
        content,
        c -> Mutations.createFile(id, parent, name, mode, c, mtimeNanos.getAsLong()),
        durable);
  }

  /** Gives an existing file new content. */
  public CompletableFuture<CommitResult> replaceContentAsync(
      FileId id, InputStream content, long mtimeNanos, boolean durable) throws IOException {
    return replaceContentAsync(id, content, () -> mtimeNanos, durable);
  }

  /**
   * Gives an existing file new content whose modification time is known only once the content has
   * been read (the drive streams a file while it is still being written).
   */
  public CompletableFuture<CommitResult> replaceContentAsync(
      FileId id, InputStream content, java.util.function.LongSupplier mtimeNanos, boolean durable)
      throws IOException {
    return withContent(
        content, c -> Mutations.replaceContent(id, c, mtimeNanos.getAsLong()), durable);
  }

  /**
   * Gives an existing file new content that starts with {@code keptPrefix}, chunks of the file's
   * current version, followed by {@code rest}. Content-defined chunk boundaries before the first
   * changed byte do not move, so an append or an edit near the end re-reads only the tail.
   *
   * @throws IllegalStateException if a kept chunk is no longer stored (the caller then sends the
   *     whole content)
   */
  public CompletableFuture<CommitResult> replaceContentAsync(
      FileId id,
      List<ChunkRef> keptPrefix,
      InputStream rest,
      java.util.function.LongSupplier mtimeNanos,
      boolean durable)
      throws IOException {
    long prefixBytes = keptPrefix.stream().mapToLong(ChunkRef::length).sum();
    return withContent(
        rest,
        c -> {
          List<ChunkRef> all = new ArrayList<>(keptPrefix);
          all.addAll(c.chunks());
          return Mutations.replaceContent(
              id, new Mutations.Content(all, prefixBytes + c.size()), mtimeNanos.getAsLong());
        },
        durable,
        keptPrefix);
  }

  private CompletableFuture<CommitResult> withContent(
      InputStream content,
      java.util.function.Function<Mutations.Content, Mutation> change,
      boolean durable)
      throws IOException {
    return withContent(content, change, durable, List.of());
  }

  private CompletableFuture<CommitResult> withContent(
      InputStream content,
      java.util.function.Function<Mutations.Content, Mutation> change,
      boolean durable,
      List<ChunkRef> reused)
      throws IOException {
    long stamp = gate.readLock();
    StagedContent staged;
    try {
      // Under the gate, so garbage collection cannot remove them before the commit.
      for (ChunkRef ref : reused) {
        if (!ref.isHole() && !chunks.contains(ref.id())) {
          throw new IllegalStateException("chunk " + ref.id() + " is no longer stored");
        }
      }
      staged = contentWriter.write(content);
    } catch (IOException | RuntimeException e) {
      gate.unlockRead(stamp);
      throw e;
    }
    CompletableFuture<CommitResult> result;
    try {
      result =
          committer.submit(
              change.apply(staged.content()), staged.inlineChunks(), staged.upload(), durable);
    } catch (RuntimeException e) {
      gate.unlockRead(stamp);
      throw e;
    }
    return result.whenComplete(
        (ok, failure) -> {
          if (failure != null) {
            contentWriter.abandon(staged.upload());
          }
          gate.unlockRead(stamp);
        });
  }

  public CommitResult mkdir(FileId parent, String name, int mode) {
    return commit(
        Mutations.create(
            FileId.random(),
            parent,
            name,
            FileType.DIRECTORY,
            mode,
            System.currentTimeMillis() * 1_000_000L,
            ""),
        false);
  }

  public CommitResult symlink(FileId parent, String name, String target) {
    return commit(
        Mutations.create(
            FileId.random(),
            parent,
            name,
            FileType.SYMLINK,
            0777,
            System.currentTimeMillis() * 1_000_000L,
            target),
        false);
  }

  public CommitResult delete(FileId id) {
    return commit(Mutations.delete(id), false);
  }

  public CommitResult move(FileId id, FileId newParent, String newName, boolean replace) {
    return commit(Mutations.move(id, newParent, newName, replace), false);
  }

  public CommitResult setAttributes(
      FileId id, Integer mode, Long mtimeNanos, SortedMap<String, byte[]> xattrs) {
    return commit(Mutations.setAttributes(id, mode, mtimeNanos, xattrs), false);
  }

  /**
   * Applies a signed record from another device (the caller checked its signature and author),
   * fetching the chunks it lacks from {@code source} first. Safe to call with records already held:
   * they are recognised and ignored.
   */
  public CompletableFuture<ApplyOutcome> applyRemoteAsync(FileVersion record, ChunkSource source)
      throws IOException {
    return applyRemoteAsync(record, source, v -> false);
  }

  /**
   * Like {@link #applyRemoteAsync(FileVersion, ChunkSource)}, for a record from a snapshot: a
   * concurrent version the snapshot's sender had already met ({@code resolvedBySender}) gets no
   * conflict copy here, since the sender made the copy (or its user dealt with it) and the snapshot
   * holds the outcome.
   */
  public CompletableFuture<ApplyOutcome> applyRemoteAsync(
      FileVersion record,
      ChunkSource source,
      java.util.function.Predicate<FileVersion> resolvedBySender)
      throws IOException {
    if (record.authorSequence() <= 0) {
      throw new IllegalArgumentException(
          "a replicated record carries its author's sequence number");
    }
    if (records.contains(record.author(), record.authorSequence())) {
      return CompletableFuture.completedFuture(ApplyOutcome.DUPLICATE);
    }
    long stamp = gate.readLock();
    StagedContent staged;
    try {
      staged = contentWriter.fetch(record.chunks(), source);
    } catch (IOException | RuntimeException e) {
      gate.unlockRead(stamp);
      throw e;
    }
    RemoteApply apply = new RemoteApply(record, options.deviceNames(), resolvedBySender, localWork);
    CompletableFuture<CommitResult> result;
    try {
      result = committer.submit(apply, staged.inlineChunks(), staged.upload(), false);
    } catch (RuntimeException e) {
      gate.unlockRead(stamp);
      throw e;
    }
    return result
        .whenComplete(
            (ok, failure) -> {
              if (failure != null) {
                contentWriter.abandon(staged.upload());
              }
              gate.unlockRead(stamp);
            })
        .thenApply(done -> apply.outcome());
  }

  /**
   * Applies records from another device that make one change (an app's save: a temporary file
   * written, the old version renamed aside, the new one renamed in): readers see all of them or
   * none, never the moment in between. Chunks are fetched for all first.
   */
  public List<CompletableFuture<ApplyOutcome>> applyRemoteTogetherAsync(
      List<FileVersion> batch, ChunkSource source) throws IOException {
    for (FileVersion record : batch) {
      if (record.authorSequence() <= 0) {
        throw new IllegalArgumentException(
            "a replicated record carries its author's sequence number");
      }
    }
    // Only the last record of each entry takes effect: the change's in-between states (a
    // temporary name) are kept as records but never applied to the tree here.
    java.util.Map<FileId, Integer> last = new java.util.HashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      last.put(batch.get(i).id(), i);
    }
    long stamp = gate.readLock();
    List<StagedContent> staged = new ArrayList<>();
    List<java.util.function.Supplier<ApplyOutcome>> applies = new ArrayList<>();
    List<GroupCommitter.Together> changes = new ArrayList<>();
    List<CompletableFuture<CommitResult>> results;
    try {
      for (int i = 0; i < batch.size(); i++) {
        FileVersion record = batch.get(i);
        StagedContent content = contentWriter.fetch(record.chunks(), source);
        staged.add(content);
        Mutation mutation;
        if (last.get(record.id()) == i) {
          RemoteApply apply = new RemoteApply(record, options.deviceNames(), v -> false, localWork);
          applies.add(apply::outcome);
          mutation = apply;
        } else {
          IntermediateRecord intermediate = new IntermediateRecord(record);
          applies.add(intermediate::outcome);
          mutation = intermediate;
        }
        changes.add(
            new GroupCommitter.Together(mutation, content.inlineChunks(), content.upload()));
      }
      results = committer.submitTogether(changes);
    } catch (IOException | RuntimeException e) {
      staged.forEach(s -> contentWriter.abandon(s.upload()));
      gate.unlockRead(stamp);
      throw e;
    }
    CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
        .whenComplete((ok, failure) -> gate.unlockRead(stamp));
    List<CompletableFuture<ApplyOutcome>> outcomes = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      java.util.function.Supplier<ApplyOutcome> apply = applies.get(i);
      StagedContent content = staged.get(i);
      outcomes.add(
          results
              .get(i)
              .whenComplete(
                  (ok, failure) -> {
                    if (failure != null) {
                      contentWriter.abandon(content.upload());
                    }
                  })
              .thenApply(done -> apply.get()));
    }
    return outcomes;
  }

  public ApplyOutcome applyRemote(FileVersion record, ChunkSource source) throws IOException {
    try {
      return applyRemoteAsync(record, source).join();
    } catch (CompletionException e) {
      throw unwrap(e);
    }
  }

  private volatile java.util.function.Predicate<FileId> localWork = id -> false;

  /**
   * Tells the replica which entries hold work in progress here (a save's temporary file, a file
   * with writes not committed yet): a peer's record never displaces or silently replaces them; the
   * peer's version is kept as a conflict copy instead. Called from the commit thread: it must not
   * block.
   */
  public void protectLocalWork(java.util.function.Predicate<FileId> inProgress) {
    this.localWork = inProgress;
  }

  /** Receives, after each commit, the records this device authored in it (to push to peers). */
  public void onAuthored(java.util.function.Consumer<List<FileVersion>> listener) {
    committer.onAuthored(listener);
  }

  /**
   * Receives, after each commit, the tree entries that records from other devices changed in it
   * (including the conflict copies made in answer). Listeners run in the order they were added, on
   * the committing thread: they must not block.
   */
  public void onChangedByPeers(java.util.function.Consumer<List<FileVersion>> listener) {
    committer.onChangedByPeers(listener);
  }

  /**
   * Receives the new chunks of big files written here as they are stored, before the file is
   * committed (to send them to peers while the file is still being written).
   */
  public void onChunkWrittenAhead(
      java.util.function.Consumer<org.gossipdrive.engine.chunk.EncodedChunk> listener) {
    contentWriter.onWrittenAhead(listener);
  }

  /**
   * Stores a chunk a peer sent ahead of the record that will use it, in the engine's stored form.
   * It is decoded and its hash checked first; it stays unreferenced (and collectable) until a
   * record uses it. Returns false when it was already held.
   *
   * @throws org.gossipdrive.engine.chunk.CorruptChunkException if the bytes are not that chunk
   */
  public boolean storeChunkAhead(org.gossipdrive.engine.hash.ChunkId id, byte[] stored) {
    byte[] raw = codec.decode(id, stored);
    long stamp = gate.readLock();
    try {
      if (chunks.contains(id)) {
        return false;
      }
      committer.unloggedChunksComing();
      chunks.putUnlogged(new org.gossipdrive.engine.chunk.EncodedChunk(id, raw.length, stored));
      return true;
    } finally {
      gate.unlockRead(stamp);
    }
  }

  /** Commits any change and waits for it. */
  public CommitResult commit(Mutation mutation, boolean durable) {
    return join(committer.submit(mutation, List.of(), Optional.empty(), durable));
  }

  /** Makes every commit so far survive a power cut (the drive's fsync). */
  public void sync() {
    db.syncWal();
  }

  // ---- upkeep --------------------------------------------------------------------------------

  /** How far the running (or last) {@link #verify()} is. */
  public org.gossipdrive.engine.maintenance.VerifyProgress.Snapshot verifyProgress() {
    return verifyProgress.snapshot();
  }

  /** Walks and checks the whole store; waits for in-flight writes and holds new ones meanwhile. */
  public VerifyReport verify() {
    long stamp = gate.writeLock();
    try {
      return new Verifier(db, ledger, codec, verifyProgress).run();
    } finally {
      gate.unlockWrite(stamp);
    }
  }

  /** Removes chunks that no stored version references. */
  public GcReport collectGarbage() {
    long stamp = gate.writeLock();
    try {
      return new GarbageCollector(db).run();
    } finally {
      gate.unlockWrite(stamp);
    }
  }

  /**
   * Drops history so each entry keeps at most {@code keepPerEntry} versions besides its head;
   * returns how many versions were dropped. Their chunks become collectable.
   */
  public int pruneHistory(int keepPerEntry) {
    if (keepPerEntry < 0) {
      throw new IllegalArgumentException("keepPerEntry must be >= 0");
    }
    List<StoredVersion> drop = new ArrayList<>();
    for (StoredVersion head : allHeads()) {
      List<StoredVersion> older =
          tree.history(head.id()).stream().filter(v -> v.sequence() != head.sequence()).toList();
      drop.addAll(older.subList(0, Math.max(0, older.size() - keepPerEntry)));
    }
    return drop.isEmpty() ? 0 : join(committer.prune(drop)).versions().size();
  }

  private List<StoredVersion> allHeads() {
    List<StoredVersion> heads = new ArrayList<>();
    try (var it = db.iterator(ReplicaDb.Column.FILES)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        tree.head(FileId.of(it.key(), 0)).ifPresent(heads::add);
      }
    }
    return heads;
  }

  private static CommitResult join(CompletableFuture<CommitResult> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      throw unwrap(e);
    }
  }

  private static RuntimeException unwrap(CompletionException e) {
    if (e.getCause() instanceof TreeException tree) {
      return new TreeException(tree.reason(), tree.getMessage());
    }
    if (e.getCause() instanceof StoreException store) {
      return new StoreException(store.getMessage(), store);
    }
    if (e.getCause() instanceof RuntimeException runtime) {
      return runtime;
    }
    return e;
  }

  /** Waits for in-flight writes, verify and GC, commits what is queued, then closes the store. */
  @Override
  public void close() {
    long stamp = gate.writeLock();
    try {
      committer.close();
      workers.shutdown();
      db.close();
      cache.clear();
    } finally {
      gate.unlockWrite(stamp);
    }
  }
}
