package org.gossipdrive.fs.vfs;

import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileVersion;

/**
 * The newest version of one open file's entry, looked up at most every {@link #CHECK_NANOS} unless
 * something reset the check (a write starting, a commit, a change by a peer or by another call
 * here). Every read and getattr asks, and decoding the head of a big file (a thousand chunk
 * references) on each 128 KiB read took three quarters of the read path's time. Used under the
 * owning {@link OpenFile}'s lock, except {@link #reset}.
 */
final class HeadLookup {
  private static final long CHECK_NANOS = 100_000_000L;

  private final Replica replica;
  private final FileId id;

  /** Volatile: a peer's change resets it from the committing thread, without the file's lock. */
  private volatile long lastCheck;

  private FileVersion head;

  HeadLookup(Replica replica, FileId id) {
    this.replica = replica;
    this.id = id;
  }

  /** The newest live version, or {@code fallback} when the entry is gone. */
  FileVersion newest(FileVersion fallback) {
    long now = System.nanoTime();
    if (head == null || lastCheck == 0 || now - lastCheck >= CHECK_NANOS) {
      head = replica.head(id).filter(v -> !v.deleted()).orElse(fallback);
      lastCheck = now;
    }
    return head;
  }

  /** The next {@link #newest} looks the head up again. Takes no lock. */
  void reset() {
    lastCheck = 0;
  }

  /**
   * Whether two reads of the head found the same version (each read decodes a new object): a
   * reader, with its read-ahead state, is kept across calls as long as the version is.
   */
  static boolean sameVersion(FileVersion a, FileVersion b) {
    return a == b
        || (a.timestamp().equals(b.timestamp())
            && a.author().equals(b.author())
            && a.authorSequence() == b.authorSequence()
            && a.size() == b.size()
            && a.chunks().equals(b.chunks()));
  }
}
