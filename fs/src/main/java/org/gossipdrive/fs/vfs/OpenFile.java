package org.gossipdrive.fs.vfs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.chunk.Holes;
import org.gossipdrive.engine.read.VersionReader;
import org.gossipdrive.engine.tree.ChunkRef;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileVersion;
import org.gossipdrive.engine.tree.TreeException;

/**
 * One file while any process has it open: the version it was opened at, and the bytes written
 * since, overlaid on that version. Every handle of the file shares this state, so a write through
 * one descriptor is seen at once through the others, as on a local disk. A commit turns the overlay
 * into one new version; until then nothing written is visible to peers.
 */
final class OpenFile {
  private final FileId id;
  private final Replica replica;
  private final Overlay overlay;
  private FileVersion base;
  private VersionReader reader;
  private long size;

  private final HeadLookup heads;

  private long mtimeNanos;

  /** Volatile: the commit thread asks it (work in progress) without taking this file's lock. */
  private volatile boolean dirty;

  /** Chunking what is written while it is written; null unless the file is written in order. */
  private StreamingCommit stream;

  private int handles;
  private boolean unlinked;

  /** Non-null while the file exists only here, created and not committed: {@link #pending}. */
  private PendingCreations pendingIn;

  private PendingCreations.Place pending;

  /** Whether the close journal has (or had) an entry for this file: {@link #journal}. */
  private boolean journaled;

  OpenFile(FileVersion version, Replica replica, Path stagingDirectory) {
    this.id = version.id();
    this.replica = replica;
    this.base = version;
    this.size = version.size();
    this.mtimeNanos = version.mtimeNanos();
    this.heads = new HeadLookup(replica, version.id());
    this.overlay = new Overlay(stagingDirectory, version.id().toString());
  }

  /**
   * A new file that is not in the tree yet: {@code draft} is what it shows until its first commit
   * creates it at {@code place}, with its content (see {@link PendingCreations}).
   */
  static OpenFile created(
      FileVersion draft,
      Replica replica,
      Path stagingDirectory,
      PendingCreations registry,
      PendingCreations.Place place) {
    OpenFile file = new OpenFile(draft, replica, stagingDirectory);
    file.pendingIn = registry;
    file.pending = place;
    return file;
  }

  FileId id() {
    return id;
  }

  synchronized int retain() {
    return ++handles;
  }

  synchronized int releaseHandle() {
    return --handles;
  }

  /** Whether some handle still has this file open. */
  synchronized boolean isOpen() {
    return handles > 0;
  }

  synchronized boolean journaled() {
    return journaled;
  }

  /**
   * Puts this file, as it stands, into the close journal instead of committing it: only a new file
   * not in the tree yet, small, held whole in memory and still linked. Returns whether it did; the
   * caller then commits it later ({@link CreationJournal}). Under this file's lock, so two flushes
   * of one file never store their entries out of order.
   */
  synchronized boolean journal(org.gossipdrive.engine.store.CloseJournal journal)
      throws IOException {
    if (pending == null || stream != null || unlinked || size > JournaledCreation.MAX_CONTENT) {
      return false;
    }
    byte[] content = new byte[(int) size];
    fill(0, content, 0, content.length);
    journal.put(
        id,
        new JournaledCreation(pending.parent(), pending.name(), base.mode(), mtimeNanos, content)
            .encode());
    journaled = true;
    return true;
  }

  synchronized void markUnlinked() {
    unlinked = true;
  }

  /**
   * A peer changed this file: the next read looks up the newest version instead of trusting the
   * last look (a descriptor opened before the change reads it). Takes no lock: it is called on the
   * committing thread, which a commit of this file may be waiting for.
   */
  void headChanged() {
    heads.reset();
  }

  boolean isDirty() {
    return dirty;
  }

  /** The version this file shows: the newest one, or the last one seen if it was unlinked. */
  synchronized FileVersion version() {
    return current();
  }

  /** The size and mtime applications see, including writes not committed yet. */
  synchronized long size() {
    return dirty ? size : current().size();
  }

  synchronized long mtimeNanos() {
    return dirty ? mtimeNanos : current().mtimeNanos();
  }

  /**
   * Reads like pread. A file with nothing staged is read outside this object's lock, so the
   * kernel's parallel read-ahead requests are served in parallel.
   */
  int read(long offset, byte[] target, int length) throws IOException {
    VersionReader clean;
    synchronized (this) {
      settleStream();
      if (dirty) {
        if (offset >= size) {
          return 0;
        }
        int count = (int) Math.min(length, size - offset);
        fill(offset, target, 0, count);
        return count;
      }
      rebase();
      clean = readerOf(base);
    }
    if (offset >= clean.size()) {
      return 0;
    }
    // VersionReader.read fills everything up to the end of its version in one call.
    return clean.read(offset, target, 0, (int) Math.min(length, clean.size() - offset));
  }

  private VersionReader readerOf(FileVersion version) {
    if (reader == null || !HeadLookup.sameVersion(reader.version(), version)) {
      reader = replica.reader(version);
    }
    return reader;
  }

  synchronized void write(long offset, byte[] data, int length) throws IOException {
    if (!dirty) {
      // An edit must start from the newest version, never from a cached look at it.
      heads.reset();
      rebase();
    }
    if (stream != null) {
      if (offset == stream.position()) {
        stream.append(data, 0, length);
        size += length;
        touch();
        return;
      }
      settleStream();
    }
    if (offset + length > Staging.MEMORY_LIMIT && continuesFromStart(offset)) {
      // A big new file streams into a version of an existing entry: the entry comes first.
      createPending(false, false);
      startStream();
      stream.append(data, 0, length);
      size += length;
      touch();
      return;
    }
    overlay.write(offset, data, length);
    size = Math.max(size, offset + length);
    touch();
  }

  /**
   * True when a write at {@code offset} extends content that is exactly what was written from
   * offset 0, with no old bytes: the file can stream from here. Not for an unlinked file, whose
   * bytes must stay readable through its descriptors with no version to hold them.
   */
  private boolean continuesFromStart(long offset) {
    if (unlinked || offset != size || (base.size() != 0 && !overlay.baseDropped())) {
      return false;
    }
    return overlay.writtenFromStart(size);
  }

  /** Hands what is staged (under the memory limit: in memory) to a new stream, staging nothing. */
  private void startStream() throws IOException {
    stream = new StreamingCommit(replica, id);
    byte[] staged = new byte[(int) size];
    overlay.read(null, 0, 0, staged, 0, staged.length); // all written: the base is not read
    stream.append(staged, 0, staged.length);
    overlay.clear();
  }

  /**
   * Something needs the streamed bytes back (a read, a write out of order, a truncate, an unlink):
   * they exist only in the stream, so they become a version of their own, and the file goes on from
   * that version as any edited file does.
   */
  private void settleStream() throws IOException {
    if (stream != null) {
      commit(false);
    }
  }

  /** Before the file is unlinked: streamed bytes stay readable through its open descriptors. */
  synchronized void settleBeforeUnlink() throws IOException {
    settleStream();
  }

  private void abandonStream() {
    if (stream != null) {
      stream.abandon();
      stream = null;
    }
  }

  synchronized void truncate(long newSize) throws IOException {
    if (!dirty) {
      heads.reset();
      rebase();
    }
    settleStream();
    overlay.cut(newSize, size);
    size = newSize;
    touch();
  }

  /**
   * fallocate's PUNCH_HOLE (always with KEEP_SIZE): bytes {@code offset..offset+length} within the
   * file become a hole, read as zeros and committed as a hole that costs nothing to store or send.
   */
  synchronized void punchHole(long offset, long length) throws IOException {
    if (!dirty) {
      heads.reset();
      rebase();
    }
    settleStream();
    long end = Math.min(size, offset + length);
    if (end > offset) {
      overlay.punch(offset, end);
      touch();
    }
  }

  /**
   * fallocate without flags: the file grows to {@code end} if it is shorter. A content-addressed
   * store has no blocks to reserve, so the new bytes are a hole, as with a truncate that extends.
   */
  synchronized void allocate(long end) throws IOException {
    if (!dirty) {
      heads.reset();
      rebase();
    }
    if (end > size) {
      settleStream();
      size = end;
      touch();
    }
  }

  /**
   * The first offset at or after {@code offset} where a hole ({@code hole}) or data starts, as
   * SEEK_HOLE and SEEK_DATA find it; the end of the file counts as a hole. -1 when there is none,
   * or {@code offset} is at or past the end.
   */
  synchronized long seek(long offset, boolean hole) throws IOException {
    settleStream();
    if (!dirty) {
      rebase();
    }
    VersionReader baseReader = base.size() == 0 ? null : readerOf(base);
    long position = offset;
    while (position < size) {
      Overlay.Run run = overlay.runAt(baseReader, base.size(), position, size);
      if (run.hole() == hole) {
        return position;
      }
      position = run.end();
    }
    return hole && offset < size ? size : -1;
  }

  /** The bytes this file holds in chunks, holes left out (what {@code du} counts). */
  synchronized long allocatedBytes() {
    if (!dirty) {
      return current().allocatedBytes();
    }
    // An estimate until the commit, which counts exactly: punched and overwritten bytes may count
    // twice, never more than the size.
    return Math.min(size, base.allocatedBytes() + overlay.writtenBytes());
  }

  /** An explicit mtime (utimens) replaces the time of the last write. */
  synchronized void setMtime(long nanos) {
    mtimeNanos = nanos;
  }

  /**
   * Stores what was written as a new version of the file. Returns false when there was nothing to
   * commit, or when the file was deleted meanwhile (its bytes go with it, as with an unlinked file
   * on a local disk).
   */
  synchronized boolean commit(boolean durable) throws IOException {
    if (!dirty && pending == null) {
      return false;
    }
    try {
      if (pending != null) {
        createPending(true, durable);
      } else if (stream != null) {
        StreamingCommit finishing = stream; // it holds the whole content: nothing is staged
        stream = null;
        finishing.finish(mtimeNanos);
        if (durable) {
          replica.sync();
        }
      } else {
        commitChanges(durable);
      }
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof TreeException tree
          && tree.reason() == TreeException.Reason.NOT_FOUND) {
        return false;
      }
      throw e.getCause() instanceof RuntimeException r ? r : e;
    } catch (TreeException e) {
      if (e.reason() == TreeException.Reason.NOT_FOUND) {
        return false;
      }
      throw e;
    }
    dirty = false;
    overlay.clear();
    heads.reset();
    rebase();
    return true;
  }

  /**
   * Commits the staged content, re-reading only from the first chunk that changed: the chunks
   * before it are kept as they are (content-defined boundaries before a change do not move). The
   * base's last chunk is never kept, since its end was set by the end of the file, not by content.
   */
  private void commitChanges(boolean durable) throws IOException {
    long firstChange = Math.min(overlay.firstChange(), Math.min(base.size(), size));
    List<ChunkRef> kept = new ArrayList<>();
    long keptBytes = 0;
    List<ChunkRef> baseChunks = base.chunks();
    for (int i = 0; i < baseChunks.size() - 1; i++) {
      long end = keptBytes + baseChunks.get(i).length();
      if (end > firstChange) {
        break;
      }
      kept.add(baseChunks.get(i));
      keptBytes = end;
    }
    if (kept.isEmpty()) {
      replica.replaceContentAsync(id, new Content(0), mtimeNanos, durable).join();
      return;
    }
    long committedMtime = mtimeNanos;
    try {
      replica
          .replaceContentAsync(id, kept, new Content(keptBytes), () -> committedMtime, durable)
          .join();
    } catch (IllegalStateException e) {
      // A kept chunk was collected meanwhile: send everything.
      replica.replaceContentAsync(id, new Content(0), mtimeNanos, durable).join();
    }
  }

  /**
   * Commits a file created here as a new entry with {@code content}. A name another device took
   * meanwhile gets this file as a conflict copy beside it, and a directory another device removed
   * meanwhile leaves it in the drive's root: a file an app wrote is never dropped.
   */
  private void createPending(boolean withContent, boolean durable) throws IOException {
    if (pending == null) {
      return;
    }
    PendingCreations.create(
        replica,
        id,
        pending,
        base.mode(),
        mtimeNanos,
        () -> withContent ? new Content(0) : InputStream.nullInputStream(),
        durable);
    pendingIn.done(pending, this);
    pending = null;
  }

  synchronized void close() throws IOException {
    abandonStream();
    overlay.close();
    if (pending != null) {
      pendingIn.done(pending, this); // never committed (a failure): the name is free again
      pending = null;
    }
  }

  private void touch() {
    dirty = true;
    mtimeNanos = System.currentTimeMillis() * 1_000_000L;
  }

  /**
   * Follows the newest version (written here or received from a peer) while nothing is staged.
   * Looked up at most every 100 ms ({@link HeadLookup}).
   */
  private void rebase() {
    base = current();
    size = base.size();
  }

  /** The newest version, or the last one seen if the file was unlinked. */
  private FileVersion current() {
    return unlinked ? base : heads.newest(base);
  }

  private void fill(long offset, byte[] target, int targetOffset, int length) throws IOException {
    overlay.read(
        base.size() == 0 ? null : readerOf(base),
        base.size(),
        offset,
        target,
        targetOffset,
        length);
  }

  /**
   * The whole staged content, streamed to the chunker at commit. Zeros that nothing wrote are
   * passed as holes ({@link Holes}), never read: a truncate to a petabyte commits at once.
   */
  private final class Content extends InputStream implements Holes {
    private long position;

    Content(long start) {
      this.position = start;
    }

    /** Exact, so the chunker sizes its buffer to the file. */
    @Override
    public int available() {
      return (int) Math.min(Integer.MAX_VALUE, Math.max(0, size - position));
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public long holeAtPosition() {
      if (position >= size) {
        return 0;
      }
      Overlay.Run run = runHere();
      return run.hole() ? run.end() - position : 0;
    }

    @Override
    public void skipHole(long length) {
      position += length;
    }

    private Overlay.Run runHere() {
      return overlay.runAt(base.size() == 0 ? null : readerOf(base), base.size(), position, size);
    }

    /** Stops at the end of the data run, so the chunker sees each hole where it starts. */
    @Override
    public int read(byte[] target, int offset, int length) {
      if (position >= size) {
        return -1;
      }
      int count = (int) Math.min(length, runHere().end() - position);
      try {
        fill(position, target, offset, count);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      position += count;
      return count;
    }
  }
}
