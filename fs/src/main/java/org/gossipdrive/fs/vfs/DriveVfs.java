package org.gossipdrive.fs.vfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.commit.Mutations;
import org.gossipdrive.engine.lock.AcquireResult;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileType;
import org.gossipdrive.engine.tree.FileVersion;
import org.gossipdrive.engine.tree.TreeException;

/**
 * The drive's file system semantics, free of any FUSE binding: every operation a mount needs, on
 * paths ("/a/b") and handles, for a {@link Caller}. A refusal is a {@link DriveException} with its
 * reason; a fault of the store is an {@link IOException} or a runtime exception. The FUSE adapters
 * only translate calls, errors and attributes (docs/architecture.md, "The drive's layers").
 */
public final class DriveVfs implements AutoCloseable {
  private final Replica replica;
  private final Entries entries;
  private final OpenFiles openFiles;
  private final DocumentLocks locks;
  private final SaveTemporaries temporaries;
  private final SaveSettler creations;
  private final StaleSaves staleSaves;
  private final FileHandles files;
  private final ExtendedAttributes xattrs;
  private final FileStore backingStore;
  private final CreationJournal journal;

  public DriveVfs(Replica replica, Path stagingDirectory, DriveServices services)
      throws IOException {
    this.replica = replica;
    PendingCreations pending = new PendingCreations();
    this.entries = new Entries(replica, pending);
    this.locks = new DocumentLocks(services);
    this.creations =
        new SaveSettler(services.pushHold(), Duration.ofMillis(500), Duration.ofSeconds(1));
    org.gossipdrive.engine.store.OwnerOnly.createDirectories(stagingDirectory);
    this.backingStore = Files.getFileStore(stagingDirectory);
    this.openFiles = new OpenFiles(replica, stagingDirectory);
    this.temporaries = new SaveTemporaries(replica, services, openFiles, Duration.ofSeconds(3));
    this.staleSaves = new StaleSaves(replica, services, creations);
    this.journal = new CreationJournal(replica, creations);
    journal.start(); // first commits what a crash left journaled: before any request is served
    this.files =
        new FileHandles(
            replica,
            openFiles,
            entries,
            locks,
            temporaries,
            staleSaves,
            creations,
            pending,
            journal);
    this.xattrs = new ExtendedAttributes(replica, entries, locks);
    replica.onChangedByPeers(
        changed ->
            changed.forEach(
                version -> openFiles.byFile(version.id()).ifPresent(OpenFile::headChanged)));
  }

  public Replica replica() {
    return replica;
  }

  // ---- metadata --------------------------------------------------------------------------------

  public Attributes attributes(String path) {
    var inTree = entries.live(path);
    if (inTree.isEmpty()) {
      // Created and not committed yet: shown from the open file, not committed for a getattr.
      var created = entries.pendingAt(path);
      if (created.isPresent()) {
        OpenFile file = created.get();
        return Attributes.of(file, false);
      }
      // Or committed between the two looks (the close journal's thread): in the tree now.
      inTree = entries.live(path);
      if (inTree.isEmpty()) {
        throw new DriveException(DriveException.Reason.NOT_FOUND);
      }
    }
    FileVersion entry = inTree.get();
    var open =
        entry.type() == FileType.FILE
            ? openFiles.byFile(entry.id())
            : java.util.Optional.<OpenFile>empty();
    boolean readOnly = readOnlyHere(path);
    return open.map(file -> Attributes.of(file, readOnly)).orElse(Attributes.of(entry, readOnly));
  }

  /** The attributes of an open file, through its handle (the path may be gone: null). */
  public Attributes attributes(String path, long handle) {
    return files.attributes(handle, readOnlyHere(path));
  }

  /**
   * The attributes of an open file found by its id, for a binding that can name an unlinked open
   * file only by the name it hid it under (libfuse 3's {@code .fuse_hidden}); empty once closed.
   */
  public java.util.Optional<Attributes> attributesOfOpen(FileId id) {
    return openFiles.byFile(id).map(file -> Attributes.of(file, false));
  }

  /** The id of the entry at {@code path}, or empty when nothing is there. */
  public java.util.Optional<FileId> idAt(String path) {
    return entries
        .live(path)
        .map(FileVersion::id)
        .or(() -> entries.pendingAt(path).map(OpenFile::id))
        .or(() -> entries.live(path).map(FileVersion::id)); // committed between the looks
  }

  /** Whether {@code path} shows read-only here: another device holds it or its document. */
  public boolean readOnlyHere(String path) {
    return path != null && locks.readOnlyHere(path);
  }

  public void access(String path) {
    attributes(path); // a file created and not closed yet exists too
  }

  /** The names in a directory, without "." and "..". */
  public List<String> list(String path) {
    FileVersion directory = entries.directory(path);
    entries.settleIn(directory);
    return replica.list(directory.id()).stream()
        .filter(child -> !child.deleted())
        .map(FileVersion::name)
        .toList();
  }

  public StorageSpace space() throws IOException {
    return new StorageSpace(
        backingStore.getTotalSpace(),
        backingStore.getUnallocatedSpace(),
        backingStore.getUsableSpace());
  }

  // ---- tree changes ----------------------------------------------------------------------------

  public void mkdir(String path, int mode) {
    DrivePath place = DrivePath.of(path);
    entries.settle(path);
    tree(() -> replica.mkdir(entries.directory(place.parent()).id(), place.name(), mode & 07777));
  }

  public void rmdir(String path) {
    FileVersion entry = entries.existing(path);
    if (!entry.isDirectory()) {
      throw new DriveException(DriveException.Reason.NOT_A_DIRECTORY);
    }
    if (entry.id().isRoot()) {
      throw new DriveException(DriveException.Reason.BUSY);
    }
    locks.requireNotHeldElsewhere(path);
    entries.settleIn(entry); // the engine refuses a directory with children: it must see them
    tree(() -> replica.delete(entry.id()));
  }

  public void unlink(Caller caller, String path) {
    FileVersion entry = entries.existing(path);
    if (entry.isDirectory()) {
      throw new DriveException(DriveException.Reason.IS_A_DIRECTORY);
    }
    boolean saving = entry.type() == FileType.FILE && temporaries.saveInProgressFor(path);
    if (saving) {
      locks.take(path, caller);
    } else {
      // A plain delete asks no peer (rm -rf runs at local speed): a peer that is editing the file
      // unknown to us still loses nothing, because an edit beats a delete when they meet (ADR 14).
      locks.requireNotHeldElsewhere(path);
    }
    if (saving && staleSaves.unseenPeerVersion(path, entry)) {
      // A save clearing the way for its temporary (Blender 3.4 unlinks the document before its
      // rename) over another device's version no app here read: that version is kept aside.
      FileVersion parent = entries.directory(DrivePath.of(path).parent());
      tree(() -> staleSaves.keepBeside(entry, parent, path, entry.name()));
      return;
    }
    var open = openFiles.byFile(entry.id());
    if (open.isPresent()) {
      try {
        open.get().settleBeforeUnlink();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    tree(() -> replica.delete(entry.id()));
    open.ifPresent(OpenFile::markUnlinked);
    temporaries.ended(entry.id());
  }

  /**
   * Renames {@code from} to {@code to}, or keeps a stale save beside {@code to} instead. Returns
   * whether the tree now is what the caller asked for (false: the kernel's idea of both names is
   * wrong and must be dropped).
   */
  public boolean rename(Caller caller, String from, String to) {
    FileVersion entry = entries.existing(from);
    entries.settle(to); // a file created at the target and not closed yet is replaced like any
    DrivePath target = DrivePath.of(to);
    FileVersion parent = entries.directory(target.parent());
    var occupant = replica.lookup(parent.id(), target.name()).filter(v -> !v.deleted());
    if (occupant.isPresent() && occupant.get().id().equals(entry.id())) {
      return true;
    }
    if (entry.type() == FileType.FILE) {
      locks.take(from, caller);
    } else {
      locks.requireNotHeldElsewhere(from);
    }
    locks.requireNotHeldElsewhere(to);
    if (occupant.isPresent() && occupant.get().type() == FileType.FILE) {
      locks.take(to, caller);
      boolean saveIntoPlace = temporaries.inProgress(entry.id());
      if (entry.type() == FileType.FILE
          && (staleSaves.outdated(to, occupant.get())
              || (saveIntoPlace && staleSaves.unseenPeerVersion(to, occupant.get())))) {
        // A save over a version this device never showed (another device's, arrived after the
        // app read the file, or that no app here ever read): kept beside it, not over it.
        tree(() -> staleSaves.keepBeside(entry, parent, to, target.name()));
        temporaries.ended(entry.id());
        return false;
      }
    }
    if (entry.type() == FileType.FILE
        && !locks.incidental(from)
        && staleSaves.outdated(from, entry)) {
      // An app moving aside a version it never showed (a save's backup step): copied, so the
      // newer version stays in place for the save's rename to meet.
      tree(
          () ->
              replica.commit(
                  Mutations.writeFile(
                      parent.id(),
                      target.name(),
                      StaleSaves.contentOf(entry),
                      entry.mode(),
                      entry.mtimeNanos()),
                  false));
      return false;
    }
    // Moved to a temporary name (Office moves the original aside): held from before the move.
    boolean temporary = temporaries.isTemporaryName(target.name());
    if (temporary) {
      temporaries.started(entry.id());
    }
    boolean moved = false;
    try {
      tree(() -> replica.move(entry.id(), parent.id(), target.name(), true));
      moved = true;
      changedHere(entry.id());
    } finally {
      if (!temporary || !moved) {
        temporaries.ended(entry.id());
      }
    }
    occupant.ifPresent(o -> openFiles.byFile(o.id()).ifPresent(OpenFile::markUnlinked));
    return true;
  }

  public void symlink(String target, String path) {
    if (target.getBytes(StandardCharsets.UTF_8).length > FileVersion.MAX_TARGET_BYTES) {
      throw new DriveException(DriveException.Reason.NAME_TOO_LONG);
    }
    DrivePath place = DrivePath.of(path);
    entries.settle(path);
    tree(() -> replica.symlink(entries.directory(place.parent()).id(), place.name(), target));
  }

  public String readlink(String path) {
    FileVersion entry = entries.existing(path);
    if (entry.type() != FileType.SYMLINK) {
      throw new DriveException(DriveException.Reason.INVALID);
    }
    return entry.symlinkTarget();
  }

  /** Hard links would need one content shared by two tree entries: refused the POSIX way. */
  public void link(String from, String to) {
    throw new DriveException(DriveException.Reason.NOT_PERMITTED);
  }

  /** Regular files only; FIFOs, sockets and devices are refused (EPERM). */
  public void mknod(String path, int mode) {
    if ((mode & 0170000) != 0100000) {
      throw new DriveException(DriveException.Reason.NOT_PERMITTED);
    }
    entries.settle(path);
    tree(() -> files.createFile(FileId.random(), path, mode));
  }

  public void chmod(String path, int mode) {
    FileVersion entry = entries.existing(path);
    locks.requireNotHeldElsewhere(path);
    tree(() -> replica.setAttributes(entry.id(), mode & 07777, null, null));
    changedHere(entry.id());
  }

  /** One owner per drive: ownership changes are accepted and have no effect. */
  public void chown(String path) {
    entries.existing(path);
  }

  /** Sets the modification time; {@code null} leaves it (UTIME_OMIT). */
  public void setModified(String path, Long mtimeNanos) {
    FileVersion entry = entries.existing(path);
    locks.requireNotHeldElsewhere(path);
    if (mtimeNanos == null) {
      return;
    }
    openFiles.byFile(entry.id()).ifPresent(f -> f.setMtime(mtimeNanos));
    tree(() -> replica.setAttributes(entry.id(), null, mtimeNanos, null));
    changedHere(entry.id());
  }

  public void truncate(Caller caller, String path, long size) throws IOException {
    try {
      files.truncate(caller, path, size);
    } catch (TreeException e) {
      throw DriveException.of(e);
    }
  }

  // ---- files -----------------------------------------------------------------------------------

  public long create(Caller caller, String path, int mode, OpenFlags flags) throws IOException {
    try {
      return files.create(caller, path, mode, flags);
    } catch (TreeException e) {
      throw DriveException.of(e);
    }
  }

  public long open(Caller caller, String path, OpenFlags flags) throws IOException {
    try {
      return files.open(caller, path, flags);
    } catch (TreeException e) {
      throw DriveException.of(e);
    }
  }

  public int read(String path, long handle, long offset, byte[] target, int length)
      throws IOException {
    return files.read(path, handle, offset, target, length);
  }

  public void write(long handle, long offset, byte[] data, int length) throws IOException {
    files.write(handle, offset, data, length);
  }

  public void truncate(long handle, long size) throws IOException {
    files.truncate(handle, size);
  }

  /**
   * {@code lseek} with SEEK_HOLE ({@code hole}) or SEEK_DATA: the first offset at or after {@code
   * offset} where a hole (the end of the file counts as one) or data starts.
   */
  public long seek(long handle, long offset, boolean hole) throws IOException {
    return files.seek(handle, offset, hole);
  }

  /** fallocate on an open file: see {@link FileHandles#allocate}. */
  public void allocate(long handle, long offset, long length, boolean keepSize, boolean punchHole)
      throws IOException {
    files.allocate(handle, offset, length, keepSize, punchHole);
  }

  public void flush(long handle) throws IOException {
    files.flush(handle);
  }

  public void fsync(long handle) throws IOException {
    files.fsync(handle);
  }

  public void syncTree() {
    replica.sync();
  }

  public void release(long handle) throws IOException {
    files.release(handle);
  }

  /** Commits every open file's staged writes (before unmount or shutdown); returns how many. */
  public int commitAll(boolean durable) {
    journal.drain();
    return openFiles.commitAll(durable);
  }

  // ---- extended attributes ---------------------------------------------------------------------

  public void setXattr(String path, String name, byte[] value, boolean create, boolean replace) {
    xattrs.set(path, name, value, create, replace);
  }

  public byte[] getXattr(String path, String name) {
    return xattrs.get(path, name);
  }

  public List<String> listXattrs(String path) {
    return xattrs.list(path);
  }

  public void removeXattr(String path, String name) {
    xattrs.remove(path, name);
  }

  // ---- what the daemon asks --------------------------------------------------------------------

  /** Takes {@code path} for this device until {@link #unlock}: checkout-style. */
  public AcquireResult lock(String path) throws InterruptedException {
    entries.existing(path);
    return locks.lockExplicitly(path);
  }

  public void unlock(String path) {
    locks.unlock(path);
  }

  /** Who holds this device's lock on {@code path}: process ids, or "explicit". */
  public List<String> lockOwners(String path) {
    return locks.ownersOf(path);
  }

  /** Saves kept as conflict copies because they were based on an outdated version. */
  public List<StaleSave> staleSaves() {
    return staleSaves.list();
  }

  /** Stops the lock and save watchers (after unmount). */
  @Override
  public void close() {
    journal.close();
    temporaries.close();
    creations.close();
    locks.close();
  }

  /** An open file looks its version up again after a change made here by path, not through it. */
  private void changedHere(FileId id) {
    openFiles.byFile(id).ifPresent(OpenFile::headChanged);
  }

  /** Runs a tree change, answering the engine's refusal with the drive's reason. */
  private static void tree(Runnable change) {
    try {
      change.run();
    } catch (TreeException e) {
      throw DriveException.of(e);
    }
  }
}
