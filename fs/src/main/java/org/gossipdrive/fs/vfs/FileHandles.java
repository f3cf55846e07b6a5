package org.gossipdrive.fs.vfs;

import java.io.IOException;
import java.util.Optional;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.commit.Mutations;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileType;
import org.gossipdrive.engine.tree.FileVersion;
import org.gossipdrive.engine.tree.TreeException;

/**
 * Opening, reading, writing and closing files. Handle operations work through the handle, never the
 * path, so a file renamed or unlinked while open keeps working. Writes are staged per open file
 * ({@link OpenFile}); every close commits them (ADR 15), so what close() accepted survives kill -9.
 */
final class FileHandles {
  private final Replica replica;
  private final OpenFiles openFiles;
  private final Entries entries;
  private final DocumentLocks locks;
  private final SaveTemporaries temporaries;
  private final StaleSaves staleSaves;
  private final PendingCreations pending;
  private final CreationJournal journal;

  /**
   * Holds a new file's records until its first close (at most about half a second), so peers get
   * the file with its content in one atomic batch instead of an empty file first.
   */
  private final SaveSettler creations;

  FileHandles(
      Replica replica,
      OpenFiles openFiles,
      Entries entries,
      DocumentLocks locks,
      SaveTemporaries temporaries,
      StaleSaves staleSaves,
      SaveSettler creations,
      PendingCreations pending,
      CreationJournal journal) {
    this.replica = replica;
    this.openFiles = openFiles;
    this.entries = entries;
    this.locks = locks;
    this.temporaries = temporaries;
    this.staleSaves = staleSaves;
    this.creations = creations;
    this.pending = pending;
    this.journal = journal;
  }

  long create(Caller caller, String path, int mode, OpenFlags flags) throws IOException {
    locks.requireNotHeldElsewhere(path);
    locks.companionCreated(path, caller.pid());
    DrivePath place = DrivePath.of(path);
    if (temporaries.isTemporaryName(place.name())) {
      return createTemporary(caller, path, mode, flags);
    }
    FileVersion parent = entries.directory(place.parent());
    PendingCreations.Place where = new PendingCreations.Place(parent.id(), place.name());
    Optional<FileVersion> existing = liveChild(where);
    if (existing.isEmpty()) {
      FileId id = FileId.random();
      OpenFile fresh =
          openFiles.newFile(
              Mutations.unstampedFile(
                  id,
                  parent.id(),
                  place.name(),
                  mode & 07777,
                  System.currentTimeMillis() * 1_000_000L),
              pending,
              where);
      // Open before reserving: whoever finds the reservation can open the file by its id.
      long handle = openFiles.adopt(fresh);
      Optional<OpenFile> holder = pending.reserve(where, fresh);
      if (holder.isEmpty() && liveChild(where).isEmpty()) {
        creations.started(id);
        return handle;
      }
      openFiles.release(handle); // its close gives a reservation back
      if (holder.isEmpty()) {
        existing = liveChild(where); // committed by another thread meanwhile: open that one
      } else if (flags.exclusive()) {
        throw new DriveException(DriveException.Reason.EXISTS);
      } else if (!holder.get().isOpen()) {
        // Closed and not committed yet (the close journal): into the tree, then opened from there.
        pending.settle(where);
        existing = liveChild(where);
      } else {
        // Another process created it and has not closed it yet: both write the same new file.
        return openTruncating(holder.get().version(), flags.truncate());
      }
    }
    // Without O_EXCL, losing a creation race to another process just opens its file.
    if (flags.exclusive() || existing.isEmpty()) {
      throw new DriveException(DriveException.Reason.EXISTS);
    }
    return openTruncating(
        openForWrite(caller, path, Entries.regularFile(existing.get())), flags.truncate());
  }

  /**
   * A save's temporary file is created in the tree at once, as it always was: the save tracking
   * that keeps racing saves from losing a version finds it there. It holds outgoing changes from
   * its very creation, and is never written into another device's temporary.
   */
  private long createTemporary(Caller caller, String path, int mode, OpenFlags flags)
      throws IOException {
    FileId id = FileId.random();
    temporaries.setAsideIfPeers(replica.resolve(path));
    temporaries.started(id);
    creations.started(id);
    FileVersion created;
    try {
      created = createFile(id, path, mode);
    } catch (TreeException e) {
      temporaries.ended(id);
      creations.ended(id);
      // Without O_EXCL, losing a creation race to another process just opens its file.
      if (e.reason() != TreeException.Reason.ALREADY_EXISTS || flags.exclusive()) {
        throw e;
      }
      created = openForWrite(caller, path, Entries.regularFile(entries.existing(path)));
    }
    return openTruncating(created, flags.truncate());
  }

  private Optional<FileVersion> liveChild(PendingCreations.Place place) {
    return replica.lookup(place.parent(), place.name()).filter(v -> !v.deleted());
  }

  /** A new, empty regular file (mknod, create). */
  FileVersion createFile(FileId id, String path, int mode) {
    DrivePath place = DrivePath.of(path);
    FileVersion parent = entries.directory(place.parent());
    return replica
        .commit(
            Mutations.create(
                id,
                parent.id(),
                place.name(),
                FileType.FILE,
                mode & 07777,
                System.currentTimeMillis() * 1_000_000L,
                ""),
            false)
        .only()
        .version();
  }

  long open(Caller caller, String path, OpenFlags flags) throws IOException {
    FileVersion entry = entries.existing(path);
    if (entry.isDirectory() && flags.writing()) {
      throw new DriveException(DriveException.Reason.IS_A_DIRECTORY);
    }
    if (flags.writing() && temporaries.setAsideIfPeers(Optional.of(entry))) {
      // Another device's temporary was here: this save writes a file of its own.
      return create(caller, path, entry.mode(), flags);
    }
    if (flags.writing() && entry.type() == FileType.FILE) {
      entry = openForWrite(caller, path, entry);
    }
    return flags.writing() ? openTruncating(entry, flags.truncate()) : openFiles.open(entry);
  }

  /**
   * Opening an existing file for writing takes its lock; when the version here is newer than the
   * one this device last showed the app, the app writes into a conflict copy instead.
   */
  private FileVersion openForWrite(Caller caller, String path, FileVersion entry) {
    locks.take(path, caller);
    if (!staleSaves.outdated(path, entry)) {
      return entry;
    }
    return staleSaves.writeTarget(path, entry, entries.directory(DrivePath.of(path).parent()));
  }

  /**
   * Opens a handle, emptying the file first when asked (O_TRUNC arrives with the open: the emptying
   * is staged like any write, so an overwrite commits one version at close).
   */
  private long openTruncating(FileVersion entry, boolean truncate) throws IOException {
    long handle = openFiles.open(entry);
    if (truncate && entry.type() == FileType.FILE) {
      try {
        OpenFile file = file(handle);
        if (file.size() > 0) {
          file.truncate(0);
        }
      } catch (IOException | RuntimeException e) {
        openFiles.release(handle);
        throw e;
      }
    }
    return handle;
  }

  Attributes attributes(long handle, boolean readOnlyHere) {
    OpenFile file = file(handle);
    return Attributes.of(file, readOnlyHere);
  }

  int read(String path, long handle, long offset, byte[] target, int length) throws IOException {
    OpenFile file = file(handle);
    staleSaves.served(path, file.version());
    return file.read(offset, target, length);
  }

  void write(long handle, long offset, byte[] data, int length) throws IOException {
    withinMaximum(offset + length);
    OpenFile file = file(handle);
    temporaries.touched(file.id());
    file.write(offset, data, length);
  }

  void truncate(long handle, long size) throws IOException {
    withinMaximum(size);
    file(handle).truncate(size);
  }

  /**
   * fallocate: without flags the file grows to {@code offset + length} if shorter; with {@code
   * keepSize} alone nothing changes (there are no blocks to reserve); {@code punchHole} (always
   * with {@code keepSize}, as Linux requires) turns the range into a hole.
   */
  void allocate(long handle, long offset, long length, boolean keepSize, boolean punchHole)
      throws IOException {
    if (offset < 0 || length <= 0) {
      throw new DriveException(DriveException.Reason.INVALID, "fallocate of a bad range");
    }
    if (punchHole && !keepSize) {
      throw new DriveException(
          DriveException.Reason.NOT_SUPPORTED, "PUNCH_HOLE comes with KEEP_SIZE");
    }
    long end = offset + length;
    withinMaximum(end < 0 ? Long.MAX_VALUE : end);
    OpenFile file = file(handle);
    if (punchHole) {
      file.punchHole(offset, length);
    } else if (!keepSize) {
      file.allocate(end);
    }
  }

  long seek(long handle, long offset, boolean hole) throws IOException {
    long found = file(handle).seek(Math.max(0, offset), hole);
    if (found < 0) {
      throw new DriveException(DriveException.Reason.NO_SUCH_OFFSET, "no more data");
    }
    return found;
  }

  /** A size past the largest file is EFBIG, before anything changes. */
  private static void withinMaximum(long size) {
    if (size > FileVersion.MAX_SIZE || size < 0) {
      throw new DriveException(
          DriveException.Reason.FILE_TOO_BIG,
          "past the largest file the drive holds (" + FileVersion.MAX_SIZE + " bytes)");
    }
  }

  /** A path truncate: through the open file if there is one, else a short-lived overlay. */
  void truncate(Caller caller, String path, long size) throws IOException {
    withinMaximum(size);
    FileVersion entry = Entries.regularFile(entries.existing(path));
    locks.take(path, caller);
    var open = openFiles.byFile(entry.id());
    if (open.isPresent()) {
      open.get().truncate(size);
      open.get().commit(false);
      return;
    }
    long handle = openFiles.open(entry);
    try {
      OpenFile file = file(handle);
      file.truncate(size);
      file.commit(false);
    } finally {
      openFiles.release(handle);
    }
  }

  /**
   * Every close() flushes: what close() accepted is committed, or, for a new small file, journaled
   * and committed right behind the app (ADR 36). Either survives kill -9.
   */
  void flush(long handle) throws IOException {
    OpenFile file = file(handle);
    if (!journal.journal(file)) {
      file.commit(false);
    }
  }

  void fsync(long handle) throws IOException {
    file(handle).commit(true);
    replica.sync();
  }

  void release(long handle) throws IOException {
    var journaled = openFiles.byHandle(handle).filter(OpenFile::journaled);
    if (journaled.isPresent()) {
      if (openFiles.releaseKeepingOpen(handle)) {
        journal.closed(journaled.get()); // it commits the file, then frees its staging
      }
      return;
    }
    try {
      var file = openFiles.byHandle(handle);
      if (file.isPresent()) {
        file.get().commit(false);
        creations.ended(file.get().id());
      }
    } finally {
      openFiles.release(handle);
    }
  }

  private OpenFile file(long handle) {
    return openFiles
        .byHandle(handle)
        .orElseThrow(() -> new DriveException(DriveException.Reason.BAD_HANDLE));
  }
}
