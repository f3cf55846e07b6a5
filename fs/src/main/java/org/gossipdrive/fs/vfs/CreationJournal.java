package org.gossipdrive.fs.vfs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.store.CloseJournal;
import org.gossipdrive.engine.tree.FileId;

/**
 * New small files whose {@code close()} stored them in the close journal (one write through
 * RocksDB's log, kill-safe) rather than committing them: one thread commits them behind the app, in
 * the order they were closed, and drops their entries. Until then a file stays a pending creation
 * ({@link PendingCreations}): shown by its name, and committed at once by anything that needs it in
 * the tree. At start, entries left by a crash are committed before the drive is used (ADR 36).
 *
 * <p>The backlog is bounded: past {@link #MAX_BACKLOG} files a close commits as it always did, so a
 * writer faster than this thread gets two committers, never unbounded memory.
 */
final class CreationJournal implements AutoCloseable {
  static final int MAX_BACKLOG = 512;

  private static final System.Logger LOG = System.getLogger(CreationJournal.class.getName());

  private final Replica replica;
  private final CloseJournal journal;
  private final SaveSettler creations;
  private final LinkedBlockingQueue<OpenFile> closed = new LinkedBlockingQueue<>();

  /** Files journaled and not committed by this thread yet (open or closed). */
  private final AtomicInteger backlog = new AtomicInteger();

  /** Closed files handed over and not finished yet: {@link #drain} waits for them. */
  private int unfinished;

  private final Thread committer;
  private volatile boolean stopping;

  CreationJournal(Replica replica, SaveSettler creations) {
    this.replica = replica;
    this.journal = replica.closeJournal();
    this.creations = creations;
    this.committer =
        Thread.ofPlatform().daemon().name("gossipdrive-close-journal").unstarted(this::commitLoop);
  }

  /** Commits what a crash left in the journal, then starts committing behind the app. */
  void start() {
    int replayed = replay(replica, journal);
    if (replayed > 0) {
      LOG.log(
          System.Logger.Level.INFO,
          replayed + " file(s) closed before the daemon stopped were committed from the journal");
    }
    committer.start();
  }

  /**
   * At a flush: journals {@code file} if it qualifies and the backlog has room; returns whether it
   * did (otherwise the caller commits now).
   */
  boolean journal(OpenFile file) throws IOException {
    boolean first = !file.journaled();
    if (first && backlog.incrementAndGet() > MAX_BACKLOG) {
      backlog.decrementAndGet();
      return false;
    }
    if (file.journal(journal)) {
      return true;
    }
    if (first) {
      backlog.decrementAndGet();
    }
    return false;
  }

  /** The last handle of a journaled file closed: this thread commits it and frees its staging. */
  void closed(OpenFile file) {
    synchronized (this) {
      unfinished++;
    }
    closed.add(file);
  }

  private void commitLoop() {
    List<FileId> done = new ArrayList<>();
    while (!stopping || !closed.isEmpty()) {
      OpenFile file;
      try {
        file = closed.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (file == null) {
        continue;
      }
      try {
        if (finish(file)) {
          done.add(file.id());
        }
        if (closed.isEmpty() || done.size() >= 64) {
          journal.remove(done); // after the commits: a crash in between replays nothing twice
          backlog.addAndGet(-done.size());
          done.clear();
        }
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "could not drop close-journal entries", e);
      } finally {
        synchronized (this) {
          unfinished--;
          notifyAll();
        }
      }
    }
  }

  /** Commits a closed file (nothing to do if something needed it already) and releases it. */
  private boolean finish(OpenFile file) {
    try {
      file.commit(false);
      return true;
    } catch (IOException | RuntimeException e) {
      // Its entry stays: the next start commits it from the journal.
      LOG.log(
          System.Logger.Level.ERROR,
          "could not commit new file "
              + file.id()
              + " after its close; it stays journaled and is committed at the next start",
          e);
      backlog.decrementAndGet();
      return false;
    } finally {
      creations.ended(file.id());
      try {
        file.close();
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "could not drop the staging of " + file.id(), e);
      }
    }
  }

  /** Waits until every closed file handed over so far is committed (before unmount, shutdown). */
  void drain() {
    synchronized (this) {
      while (unfinished > 0) {
        if (!committer.isAlive()) {
          return;
        }
        try {
          wait(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Finishes the backlog and stops. */
  @Override
  public void close() {
    stopping = true;
    try {
      committer.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Commits every journaled file the tree does not hold (a crash came between its close and its
   * commit), then drops the entries. An entry this version cannot read is kept and reported.
   */
  static int replay(Replica replica, CloseJournal journal) {
    List<FileId> settled = new ArrayList<>();
    int[] replayed = {0};
    journal.forEach(
        (id, bytes) -> {
          var entry = JournaledCreation.decode(bytes);
          if (entry.isEmpty()) {
            LOG.log(
                System.Logger.Level.ERROR,
                "close-journal entry for " + id + " is unreadable; kept, not applied");
            return;
          }
          if (replica.head(id).isEmpty()) {
            JournaledCreation file = entry.get();
            try {
              PendingCreations.create(
                  replica,
                  id,
                  new PendingCreations.Place(file.parent(), file.name()),
                  file.mode(),
                  file.mtimeNanos(),
                  () -> new ByteArrayInputStream(file.content()),
                  false);
            } catch (IOException | RuntimeException e) {
              LOG.log(
                  System.Logger.Level.ERROR,
                  "could not commit journaled file " + file.name() + " (" + id + "); kept",
                  e);
              return;
            }
            replayed[0]++;
          }
          settled.add(id);
        });
    if (replayed[0] > 0) {
      replica.sync();
    }
    journal.remove(settled);
    return replayed[0];
  }
}
