package org.gossipdrive.fs.fuse;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileVersion;

/**
 * Keeps what the kernel cached about the mounted files in step with changes that arrive from peers.
 *
 * <p>The kernel keeps the attributes we hand it for {@code attr_timeout} and, meanwhile, answers
 * reads past the size it holds without asking us: a file that just grew through a peer's save would
 * read as empty or cut short. So each attribute reply is remembered (entry, path, time) and, when a
 * peer's record changes an entry whose attributes the kernel may still hold, the kernel is told to
 * drop them ({@link KernelNotifier}) from a thread of its own: notifying from the thread that
 * commits, or from a request the kernel is waiting on, could deadlock.
 *
 * <p>An open of a path with a drop still queued waits for it (at most {@link #OPEN_WAIT_MILLIS}),
 * so a program that opens a file just after a peer's change reads the change.
 */
final class KernelCache implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(KernelCache.class.getName());

  /** Longer than the mount's attr_timeout and entry_timeout (1 s), with margin for queueing. */
  private static final long REMEMBER_NANOS = 3_000_000_000L;

  static final long OPEN_WAIT_MILLIS = 200;

  private record HandedOut(String path, long atNanos) {}

  private final Map<FileId, HandedOut> handedOut = new ConcurrentHashMap<>();

  /** The file and size the kernel was last given under each path, with when. */
  private record SizeShown(FileId id, long size, long atNanos) {}

  private final Map<String, SizeShown> sizesShown = new ConcurrentHashMap<>();

  /**
   * Paths whose entry changed without the kernel's knowledge (a peer's record, a save the drive
   * kept beside its target) while the kernel may have held it, with when.
   */
  private final Map<String, Long> changedElsewhere = new ConcurrentHashMap<>();

  /**
   * Paths whose mode went out without write bits (a peer held their lock), with when: once the lock
   * ends the kernel must forget that mode, or it refuses writes itself until its cache expires.
   */
  private final Map<String, Long> handedOutReadOnly = new ConcurrentHashMap<>();

  private final java.util.function.Predicate<String> stillReadOnly;
  private final java.util.function.Function<String, Optional<FileId>> idAt;

  /** How often paths handed out read-only are checked for their lock's end. */
  private static final long READ_ONLY_CHECK_MILLIS = 50;

  /**
   * @param stillReadOnly whether a path is still held by another device
   * @param idAt the file now at a path
   */
  KernelCache(
      java.util.function.Predicate<String> stillReadOnly,
      java.util.function.Function<String, Optional<FileId>> idAt) {
    this.stillReadOnly = stillReadOnly;
    this.idAt = idAt;
  }

  /** A handle's path when it was opened, and the file it opened. */
  private record Opened(String path, FileId id) {}

  /**
   * Handles open through each path. The kernel keeps one inode per path, shared by a descriptor
   * opened before a peer's save renamed a new file in and by everyone after: a drop while such a
   * descriptor reads would hand that inode the new file's size, cutting or padding the old reader's
   * view (a real Blender load failed with "Missing DNA block"). So a drop waits, for at most {@link
   * #LONGEST_DEFERRAL_NANOS}, until the path's descriptors of another file close. A descriptor of
   * the very file a peer changed in place is no reason to wait: it must read the change.
   */
  private final Map<Long, Opened> openThrough = new ConcurrentHashMap<>();

  private static final long LONGEST_DEFERRAL_NANOS = 2_000_000_000L;

  /** When each deferred path's drop was first put off; guarded by {@code this}. */
  private final Map<String, Long> deferredSince = new HashMap<>();

  /** Paths whose drop a new open is waiting for: not deferred; guarded by {@code this}. */
  private final java.util.Set<String> forced = new java.util.HashSet<>();

  /** A handle of file {@code id} was opened through {@code path}. */
  void opened(long handle, String path, FileId id) {
    if (path != null) {
      openThrough.put(handle, new Opened(path, id));
    }
  }

  void released(long handle) {
    openThrough.remove(handle);
  }

  /** Whether descriptors opened through {@code path} read a file that is no longer there. */
  private boolean readersOfAnotherFile(String path) {
    List<FileId> reading =
        openThrough.values().stream()
            .filter(opened -> opened.path().equals(path))
            .map(Opened::id)
            .toList();
    if (reading.isEmpty()) {
      return false; // most drops: no descriptor, so no lookup in the tree
    }
    Optional<FileId> now = idAt.apply(path);
    return reading.stream().anyMatch(id -> !now.equals(Optional.of(id)));
  }

  /** Paths with a drop queued, and the drop being done; guarded by {@code this}. */
  private final Map<String, CompletableFuture<Void>> queued = new HashMap<>();

  private final Map<String, CompletableFuture<Void>> running = new HashMap<>();
  private final ArrayDeque<String> order = new ArrayDeque<>();
  private PathInvalidator invalidator;
  private Thread worker;
  private boolean closed;

  /** Starts dropping, through {@code invalidator} (empty: the FUSE library cannot). */
  synchronized void attach(Optional<PathInvalidator> invalidator) {
    if (closed || worker != null) {
      return;
    }
    if (invalidator.isEmpty()) {
      LOG.log(
          System.Logger.Level.WARNING,
          "the FUSE library cannot notify the kernel: a file changed by a peer may show its old"
              + " size for up to a second");
      return;
    }
    this.invalidator = invalidator.get();
    this.worker =
        Thread.ofPlatform().name("gossipdrive-kernel-cache").daemon(true).start(this::run);
  }

  /** The kernel was just given the attributes of {@code id}, which it knows as {@code path}. */
  void handedOut(FileId id, String path, long size) {
    if (path != null) {
      long now = System.nanoTime();
      handedOut.put(id, new HandedOut(path, now));
      sizesShown.put(path, new SizeShown(id, size, now));
    }
  }

  /**
   * A rename through the mount: the kernel now knows what it held under {@code from} (and below it)
   * under {@code to}, so a peer's later change of those entries must drop the new names.
   */
  void renamed(String from, String to) {
    String below = from + "/";
    handedOut.replaceAll(
        (id, seen) ->
            seen.path().equals(from) || seen.path().startsWith(below)
                ? new HandedOut(to + seen.path().substring(from.length()), seen.atNanos())
                : seen);
    SizeShown shown = sizesShown.remove(from);
    if (shown != null) {
      sizesShown.put(to, shown);
    }
  }

  /**
   * A rename the drive answered differently than asked (a stale save kept beside its target): the
   * kernel believes {@code from} now is {@code to}; both are dropped.
   */
  void changedBehindItsBack(String from, String to) {
    long now = System.nanoTime();
    for (String path : new String[] {from, to}) {
      changedElsewhere.put(path, now);
      queue(path);
    }
  }

  /**
   * An open of {@code path} found another file or size than the kernel was last given for it (a
   * peer's save renamed in): the kernel would answer {@code fstat} with the old size and cut reads
   * there, so the app would read the new file truncated. The open waits until the kernel's copy is
   * dropped, or at most until it expires by itself (attr_timeout).
   */
  void refreshIfOtherSize(String path, FileId opened, long size) {
    SizeShown shown = path == null ? null : sizesShown.get(path);
    Long peerChange = path == null ? null : changedElsewhere.get(path);
    long now = System.nanoTime();
    if (shown == null
        || peerChange == null // local changes go through the kernel, which follows them
        || now - peerChange > REMEMBER_NANOS
        || now - shown.atNanos() > REMEMBER_NANOS
        || (shown.id().equals(opened) && shown.size() == size)) {
      return;
    }
    synchronized (this) {
      forced.add(path); // a new reader wants the new file: earlier descriptors wait no more
    }
    queue(path);
    await(path, ATTRIBUTES_EXPIRE_MILLIS);
  }

  /** The mount's attr_timeout (1 s), with margin: past it the kernel asks us again anyway. */
  private static final long ATTRIBUTES_EXPIRE_MILLIS = 1_200;

  /** The kernel was just given {@code path}'s attributes without write bits (locked elsewhere). */
  void handedOutReadOnly(String path) {
    if (path != null) {
      handedOutReadOnly.put(path, System.nanoTime());
    }
  }

  /** Peers' records changed these entries (called on the committing thread: must not block). */
  void changed(List<FileVersion> versions) {
    long now = System.nanoTime();
    for (FileVersion version : versions) {
      HandedOut seen = handedOut.get(version.id());
      if (seen != null && now - seen.atNanos() < REMEMBER_NANOS) {
        changedElsewhere.put(seen.path(), now);
        queue(seen.path());
      }
    }
  }

  private synchronized void queue(String path) {
    if (closed || worker == null || queued.containsKey(path)) {
      return;
    }
    queued.put(path, new CompletableFuture<>());
    order.add(path);
    notifyAll();
  }

  /** Waits until no drop for {@code path} is queued or running, or the bound passes. */
  void awaitCurrent(String path) {
    await(path, OPEN_WAIT_MILLIS);
  }

  private void await(String path, long millis) {
    CompletableFuture<Void> pending;
    synchronized (this) {
      pending = queued.getOrDefault(path, running.get(path));
    }
    if (pending == null) {
      return;
    }
    try {
      pending.get(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.log(System.Logger.Level.DEBUG, "opening " + path + " before the kernel's cache dropped");
    }
  }

  private void run() {
    long lastPrune = System.nanoTime();
    while (true) {
      String path;
      CompletableFuture<Void> done;
      synchronized (this) {
        while (order.isEmpty() && !closed) {
          try {
            wait(handedOutReadOnly.isEmpty() ? 1000 : READ_ONLY_CHECK_MILLIS);
          } catch (InterruptedException e) {
            return;
          }
          if (System.nanoTime() - lastPrune > REMEMBER_NANOS || !handedOutReadOnly.isEmpty()) {
            break;
          }
        }
        if (closed) {
          return;
        }
        path = order.poll();
        if (path != null && deferred(path)) {
          order.add(path); // tried again after the others, or after a short pause
          if (order.size() == 1) {
            try {
              wait(20);
            } catch (InterruptedException e) {
              return;
            }
          }
          continue;
        }
        done = path == null ? null : queued.remove(path);
        if (done != null) {
          running.put(path, done);
        }
      }
      unlockedSinceHandedOut();
      if (done != null) {
        drop(path);
        sizesShown.remove(path); // the kernel asks again: what it gets next is current
        synchronized (this) {
          running.remove(path);
        }
        done.complete(null);
      }
      if (System.nanoTime() - lastPrune > REMEMBER_NANOS) {
        long limit = System.nanoTime() - REMEMBER_NANOS;
        handedOut.values().removeIf(seen -> seen.atNanos() < limit);
        sizesShown.values().removeIf(shown -> shown.atNanos() < limit);
        changedElsewhere.values().removeIf(at -> at < limit);
        lastPrune = System.nanoTime();
      }
    }
  }

  /** Whether the drop of {@code path} waits for descriptors opened through it before. */
  private boolean deferred(String path) {
    if (forced.remove(path) || !readersOfAnotherFile(path)) {
      deferredSince.remove(path);
      return false;
    }
    long now = System.nanoTime();
    long since = deferredSince.computeIfAbsent(path, p -> now);
    if (now - since > LONGEST_DEFERRAL_NANOS) {
      deferredSince.remove(path);
      return false;
    }
    return true;
  }

  /** Queues a drop for every path handed out read-only whose lock has ended since. */
  private void unlockedSinceHandedOut() {
    long limit = System.nanoTime() - REMEMBER_NANOS;
    for (Map.Entry<String, Long> entry : handedOutReadOnly.entrySet()) {
      String path = entry.getKey();
      if (!stillReadOnly.test(path)) {
        handedOutReadOnly.remove(path, entry.getValue());
        queue(path);
      } else if (entry.getValue() < limit) {
        handedOutReadOnly.remove(path, entry.getValue());
      }
    }
  }

  private void drop(String path) {
    try {
      invalidator.invalidate(path);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "could not drop the kernel's cache of " + path, e);
    }
  }

  /** Stops for good; must come before the unmount (the kernel channel goes with it). */
  @Override
  public void close() {
    Thread stopping;
    synchronized (this) {
      closed = true;
      queued.values().forEach(f -> f.complete(null));
      queued.clear();
      order.clear();
      notifyAll();
      stopping = worker;
    }
    if (stopping != null) {
      try {
        stopping.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (invalidator != null) {
      invalidator.close();
    }
  }
}
