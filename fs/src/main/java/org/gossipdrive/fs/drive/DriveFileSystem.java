package org.gossipdrive.fs.drive;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.SortedMap;
import java.util.TreeMap;
import jnr.ffi.Pointer;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.commit.Mutations;
import org.gossipdrive.engine.conflict.ConflictNames;
import org.gossipdrive.engine.lock.AcquireResult;
import org.gossipdrive.engine.lock.Lock;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileType;
import org.gossipdrive.engine.tree.FileVersion;
import org.gossipdrive.engine.tree.TreeException;
import ru.serce.jnrfuse.ErrorCodes;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.FuseStubFS;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.Statvfs;
import ru.serce.jnrfuse.struct.Timespec;

/**
 * The FUSE operations of the drive, each translated into replica reads and tree mutations. Handle
 * operations work through the handle, never the path, so a file renamed or unlinked while open
 * keeps working. POSIX advisory locks (fcntl, flock) are left to the kernel, which keeps them
 * between the processes of this machine.
 */
public final class DriveFileSystem extends FuseStubFS {
  private static final System.Logger LOG = System.getLogger(DriveFileSystem.class.getName());
  private static final int O_ACCMODE = 3;
  private static final int O_EXCL = 0200;
  private static final int O_TRUNC = 01000;
  private static final long UTIME_NOW = (1L << 30) - 1;
  private static final long UTIME_OMIT = (1L << 30) - 2;
  private static final String USER_NAMESPACE = "user.";

  /** Names the device holding a document's lock (read-only, computed). */
  static final String LOCK_XATTR = "user.gossipdrive.lock";

  private final Replica replica;
  private final OpenFiles openFiles;
  private final FileStore backingStore;
  private final StatFiller stats;
  private final DriveServices services;
  private final DocumentLocks locks;
  private final SaveTemporaries temporaries;

  /**
   * Holds a new file's records until its first close (at most about half a second), so peers get
   * the file with its content in one atomic batch instead of an empty file first.
   */
  private final SaveSettler creations;

  private final ReadVersions readVersions;
  private final KernelCache kernelCache;
  private final ThreadLocal<byte[]> buffers = ThreadLocal.withInitial(() -> new byte[128 << 10]);

  public DriveFileSystem(Replica replica, Path stagingDirectory, DriveServices services)
      throws IOException {
    this.replica = replica;
    this.services = services;
    this.locks = new DocumentLocks(services);
    this.creations =
        new SaveSettler(services.pushHold(), Duration.ofMillis(500), Duration.ofSeconds(1));
    this.readVersions = new ReadVersions(services.locks().self());
    this.kernelCache = new KernelCache(locks::readOnlyHere);
    Files.createDirectories(stagingDirectory);
    this.openFiles = new OpenFiles(replica, stagingDirectory);
    this.temporaries = new SaveTemporaries(replica, services, openFiles, Duration.ofSeconds(3));
    this.backingStore = Files.getFileStore(stagingDirectory);
    this.stats = StatFiller.ownedLike(stagingDirectory);
    replica.onChangedByPeers(kernelCache::changed);
    allowNullPaths();
  }

  /**
   * Sets libfuse's flag_nullpath_ok and flag_utime_omit_ok bits (jnr-fuse maps the bitfield as
   * padding): handle operations on an unlinked open file then reach us without a path instead of
   * failing with ENOENT, and UTIME_OMIT arrives as is.
   */
  private void allowNullPaths() {
    jnr.ffi.Pointer operations = jnr.ffi.Struct.getMemory(fuseOperations);
    long offset;
    try {
      var method = Class.forName("jnr.ffi.Struct$Member").getDeclaredMethod("offset");
      method.setAccessible(true);
      offset = (long) method.invoke(fuseOperations.flag_nullpath_ok);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("unexpected jnr-ffi version: " + e, e);
    }
    operations.putInt(offset, operations.getInt(offset) | 0b101);
  }

  /** Commits every open file's staged writes (before unmount or shutdown); returns how many. */
  public int commitAll(boolean durable) {
    int committed = 0;
    for (OpenFile file : openFiles.all()) {
      try {
        if (file.commit(durable)) {
          committed++;
        }
      } catch (IOException | RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "could not commit open file " + file.id(), e);
      }
    }
    if (durable) {
      replica.sync();
    }
    return committed;
  }

  // ---- metadata --------------------------------------------------------------------------------

  @Override
  public int getattr(String path, FileStat stat) {
    return run(
        "getattr",
        path,
        () -> {
          FileVersion entry = existing(path);
          kernelCache.handedOut(entry.id(), path);
          fill(stat, entry);
          hideWriteBitsIfLocked(path, stat);
          return 0;
        });
  }

  /** A document another device holds, and its companions, show read-only here. */
  private void hideWriteBitsIfLocked(String path, FileStat stat) {
    if (path != null && locks.readOnlyHere(path)) {
      stat.st_mode.set(stat.st_mode.longValue() & ~0222L);
      kernelCache.handedOutReadOnly(path);
    }
  }

  @Override
  public int fgetattr(String path, FileStat stat, FuseFileInfo fi) {
    return run(
        "fgetattr",
        path,
        () -> {
          OpenFile file = handle(fi);
          kernelCache.handedOut(file.id(), path);
          stats.fill(stat, file.version(), file.size(), file.mtimeNanos());
          hideWriteBitsIfLocked(path, stat);
          return 0;
        });
  }

  private int fill(FileStat stat, FileVersion version) {
    var open =
        version.type() == FileType.FILE
            ? openFiles.byFile(version.id())
            : java.util.Optional.<OpenFile>empty();
    long size = open.map(OpenFile::size).orElse(version.size());
    long mtime = open.map(OpenFile::mtimeNanos).orElse(version.mtimeNanos());
    stats.fill(stat, version, size, mtime);
    return 0;
  }

  @Override
  public int access(String path, int mask) {
    return run(
        "access",
        path,
        () -> {
          existing(path);
          return 0;
        });
  }

  @Override
  public int readdir(String path, Pointer buf, FuseFillDir filler, long offset, FuseFileInfo fi) {
    return run(
        "readdir",
        path,
        () -> {
          FileVersion directory = existing(path);
          if (!directory.isDirectory()) {
            return -ErrorCodes.ENOTDIR();
          }
          filler.apply(buf, ".", null, 0);
          filler.apply(buf, "..", null, 0);
          for (FileVersion child : replica.list(directory.id())) {
            if (!child.deleted() && filler.apply(buf, child.name(), null, 0) != 0) {
              break;
            }
          }
          return 0;
        });
  }

  @Override
  public int statfs(String path, Statvfs stat) {
    return run(
        "statfs",
        path,
        () -> {
          long block = 4096;
          stat.f_bsize.set(block);
          stat.f_frsize.set(block);
          stat.f_blocks.set(backingStore.getTotalSpace() / block);
          stat.f_bfree.set(backingStore.getUnallocatedSpace() / block);
          stat.f_bavail.set(backingStore.getUsableSpace() / block);
          stat.f_files.set(1L << 32);
          stat.f_ffree.set(1L << 31);
          stat.f_favail.set(1L << 31);
          stat.f_namemax.set(255);
          return 0;
        });
  }

  // ---- tree changes ----------------------------------------------------------------------------

  @Override
  public int mkdir(String path, long mode) {
    return run(
        "mkdir",
        path,
        () -> {
          DrivePath place = DrivePath.of(path);
          replica.mkdir(directory(place.parent()).id(), place.name(), (int) mode & 07777);
          return 0;
        });
  }

  @Override
  public int rmdir(String path) {
    return run(
        "rmdir",
        path,
        () -> {
          FileVersion entry = existing(path);
          if (!entry.isDirectory()) {
            return -ErrorCodes.ENOTDIR();
          }
          if (entry.id().isRoot()) {
            return -ErrorCodes.EBUSY();
          }
          locks.requireNotHeldElsewhere(path);
          replica.delete(entry.id());
          return 0;
        });
  }

  @Override
  public int unlink(String path) {
    return run(
        "unlink",
        path,
        () -> {
          FileVersion entry = existing(path);
          if (entry.isDirectory()) {
            return -ErrorCodes.EISDIR();
          }
          takeLock(path);
          replica.delete(entry.id());
          openFiles.byFile(entry.id()).ifPresent(OpenFile::markUnlinked);
          temporaries.ended(entry.id());
          return 0;
        });
  }

  @Override
  public int rename(String from, String to) {
    return run(
        "rename",
        from,
        () -> {
          FileVersion entry = existing(from);
          DrivePath target = DrivePath.of(to);
          FileVersion parent = directory(target.parent());
          var occupant = replica.lookup(parent.id(), target.name()).filter(v -> !v.deleted());
          if (occupant.isPresent() && occupant.get().id().equals(entry.id())) {
            return 0;
          }
          if (entry.type() == FileType.FILE) {
            takeLock(from);
          } else {
            locks.requireNotHeldElsewhere(from);
          }
          locks.requireNotHeldElsewhere(to);
          if (occupant.isPresent() && occupant.get().type() == FileType.FILE) {
            takeLock(to);
            if (entry.type() == FileType.FILE && readVersions.outdated(to, occupant.get())) {
              // A save over a version this device never showed: kept beside it, not over it,
              // named after the device whose bytes it holds.
              String copy = freeConflictName(parent, target.name(), deviceNameOf(entry));
              replica.move(entry.id(), parent.id(), copy, false);
              readVersions.keptAsConflict(to, copy);
              temporaries.ended(entry.id());
              return 0;
            }
          }
          if (entry.type() == FileType.FILE
              && !incidental(from)
              && readVersions.outdated(from, entry)) {
            // An app moving aside a version it never showed (a save's backup step): copied, so
            // the newer version stays in place for the save's rename to meet.
            replica.commit(
                Mutations.writeFile(
                    parent.id(), target.name(), contentOf(entry), entry.mode(), entry.mtimeNanos()),
                false);
            return 0;
          }
          // Moved to a temporary name (Office moves the original aside): held from before the move.
          boolean temporary = temporaries.isTemporaryName(target.name());
          if (temporary) {
            temporaries.started(entry.id());
          }
          boolean moved = false;
          try {
            replica.move(entry.id(), parent.id(), target.name(), true);
            moved = true;
          } finally {
            if (!temporary || !moved) {
              temporaries.ended(entry.id());
            }
          }
          occupant.ifPresent(o -> openFiles.byFile(o.id()).ifPresent(OpenFile::markUnlinked));
          return 0;
        });
  }

  @Override
  public int symlink(String target, String path) {
    return run(
        "symlink",
        path,
        () -> {
          if (target.getBytes(StandardCharsets.UTF_8).length > FileVersion.MAX_TARGET_BYTES) {
            return -ErrorCodes.ENAMETOOLONG();
          }
          DrivePath place = DrivePath.of(path);
          replica.symlink(directory(place.parent()).id(), place.name(), target);
          return 0;
        });
  }

  @Override
  public int readlink(String path, Pointer buf, long size) {
    return run(
        "readlink",
        path,
        () -> {
          FileVersion entry = existing(path);
          if (entry.type() != FileType.SYMLINK) {
            return -ErrorCodes.EINVAL();
          }
          byte[] target = entry.symlinkTarget().getBytes(StandardCharsets.UTF_8);
          int length = (int) Math.min(target.length, size - 1);
          buf.put(0, target, 0, length);
          buf.putByte(length, (byte) 0);
          return 0;
        });
  }

  /** Hard links would need one content shared by two tree entries; refused the POSIX way. */
  @Override
  public int link(String from, String to) {
    return -ErrorCodes.EPERM();
  }

  @Override
  public int mknod(String path, long mode, long rdev) {
    if ((mode & 0170000) != 0100000) {
      return -ErrorCodes.EPERM();
    }
    return run(
        "mknod",
        path,
        () -> {
          createFile(FileId.random(), path, mode);
          return 0;
        });
  }

  @Override
  public int chmod(String path, long mode) {
    return run(
        "chmod",
        path,
        () -> {
          FileVersion entry = existing(path);
          locks.requireNotHeldElsewhere(path);
          replica.setAttributes(entry.id(), (int) mode & 07777, null, null);
          return 0;
        });
  }

  /** One owner per drive: ownership changes are accepted and have no effect. */
  @Override
  public int chown(String path, long uid, long gid) {
    return run(
        "chown",
        path,
        () -> {
          existing(path);
          return 0;
        });
  }

  @Override
  public int utimens(String path, Timespec[] times) {
    return run(
        "utimens",
        path,
        () -> {
          FileVersion entry = existing(path);
          locks.requireNotHeldElsewhere(path);
          long nsec = times[1].tv_nsec.longValue();
          if (nsec == UTIME_OMIT) {
            return 0;
          }
          long mtime =
              nsec == UTIME_NOW
                  ? System.currentTimeMillis() * 1_000_000L
                  : times[1].tv_sec.get() * 1_000_000_000L + nsec;
          openFiles.byFile(entry.id()).ifPresent(f -> f.setMtime(mtime));
          replica.setAttributes(entry.id(), null, mtime, null);
          return 0;
        });
  }

  @Override
  public int truncate(String path, long size) {
    return run(
        "truncate",
        path,
        () -> {
          FileVersion entry = regularFile(existing(path));
          takeLock(path);
          var open = openFiles.byFile(entry.id());
          if (open.isPresent()) {
            open.get().truncate(size);
            open.get().commit(false);
            return 0;
          }
          // Not open: a short-lived overlay makes the change and commits it at once.
          long handle = openFiles.open(entry);
          try {
            OpenFile file = openFiles.byHandle(handle).orElseThrow();
            file.truncate(size);
            file.commit(false);
          } finally {
            openFiles.release(handle);
          }
          return 0;
        });
  }

  // ---- files -----------------------------------------------------------------------------------

  @Override
  public int create(String path, long mode, FuseFileInfo fi) {
    return run(
        "create",
        path,
        () -> {
          locks.requireNotHeldElsewhere(path);
          locks.companionCreated(path, caller());
          FileId id = FileId.random();
          // A save's temporary file holds outgoing changes from its very creation; it is never
          // written into another device's temporary.
          boolean temporary = temporaries.isTemporaryName(DrivePath.of(path).name());
          if (temporary) {
            temporaries.setAsideIfPeers(replica.resolve(path));
            temporaries.started(id);
          }
          creations.started(id);
          FileVersion created;
          try {
            created = createFile(id, path, mode);
          } catch (TreeException e) {
            if (temporary) {
              temporaries.ended(id);
            }
            creations.ended(id);
            // Without O_EXCL, losing a creation race to another process just opens its file.
            if (e.reason() != TreeException.Reason.ALREADY_EXISTS
                || (fi.flags.get() & O_EXCL) != 0) {
              throw e;
            }
            created = openForWrite(path, regularFile(existing(path)));
          }
          fi.fh.set(openTruncating(created, fi.flags.get()));
          return 0;
        });
  }

  private FileVersion createFile(FileId id, String path, long mode) {
    DrivePath place = DrivePath.of(path);
    FileVersion parent = directory(place.parent());
    return replica
        .commit(
            Mutations.create(
                id,
                parent.id(),
                place.name(),
                FileType.FILE,
                (int) mode & 07777,
                System.currentTimeMillis() * 1_000_000L,
                ""),
            false)
        .only()
        .version();
  }

  @Override
  public int open(String path, FuseFileInfo fi) {
    return run(
        "open",
        path,
        () -> {
          kernelCache.awaitCurrent(path);
          FileVersion entry = existing(path);
          boolean writing = (fi.flags.get() & O_ACCMODE) != 0;
          if (entry.isDirectory() && writing) {
            return -ErrorCodes.EISDIR();
          }
          if (writing && temporaries.setAsideIfPeers(java.util.Optional.of(entry))) {
            // Another device's temporary was here: this save writes a file of its own.
            return create(path, entry.mode(), fi);
          }
          if (writing && entry.type() == FileType.FILE) {
            entry = openForWrite(path, entry);
          }
          fi.fh.set(writing ? openTruncating(entry, fi.flags.get()) : openFiles.open(entry));
          return 0;
        });
  }

  @Override
  public int read(String path, Pointer buf, long size, long offset, FuseFileInfo fi) {
    return run(
        "read",
        path,
        () -> {
          byte[] buffer = buffer((int) size);
          OpenFile file = handle(fi);
          readVersions.served(path, file.version());
          int count = file.read(offset, buffer, (int) size);
          buf.put(0, buffer, 0, count);
          return count;
        });
  }

  @Override
  public int write(String path, Pointer buf, long size, long offset, FuseFileInfo fi) {
    return run(
        "write",
        path,
        () -> {
          byte[] buffer = buffer((int) size);
          buf.get(0, buffer, 0, (int) size);
          OpenFile file = handle(fi);
          temporaries.touched(file.id());
          file.write(offset, buffer, (int) size);
          return (int) size;
        });
  }

  @Override
  public int ftruncate(String path, long size, FuseFileInfo fi) {
    return run(
        "ftruncate",
        path,
        () -> {
          handle(fi).truncate(size);
          return 0;
        });
  }

  /** Every close() flushes: what close() accepted is committed (and survives kill -9). */
  @Override
  public int flush(String path, FuseFileInfo fi) {
    return run(
        "flush",
        path,
        () -> {
          handle(fi).commit(false);
          return 0;
        });
  }

  @Override
  public int fsync(String path, int datasync, FuseFileInfo fi) {
    return run(
        "fsync",
        path,
        () -> {
          handle(fi).commit(true);
          replica.sync();
          return 0;
        });
  }

  @Override
  public int fsyncdir(String path, FuseFileInfo fi) {
    return run(
        "fsyncdir",
        path,
        () -> {
          replica.sync();
          return 0;
        });
  }

  @Override
  public int release(String path, FuseFileInfo fi) {
    return run(
        "release",
        path,
        () -> {
          long handle = fi.fh.get();
          try {
            var file = openFiles.byHandle(handle);
            if (file.isPresent()) {
              file.get().commit(false);
              creations.ended(file.get().id());
            }
          } finally {
            openFiles.release(handle);
          }
          return 0;
        });
  }

  // ---- extended attributes ---------------------------------------------------------------------

  @Override
  public int setxattr(String path, String name, Pointer value, long size, int flags) {
    return run(
        "setxattr",
        path,
        () -> {
          if (!name.startsWith(USER_NAMESPACE)) {
            return -ErrorCodes.EOPNOTSUPP();
          }
          if (name.equals(LOCK_XATTR)) {
            return -ErrorCodes.EPERM();
          }
          if (size > FileVersion.MAX_XATTR_VALUE) {
            return -Errno.E2BIG;
          }
          FileVersion entry = existing(path);
          locks.requireNotHeldElsewhere(path);
          SortedMap<String, byte[]> xattrs = new TreeMap<>(entry.xattrs());
          boolean exists = xattrs.containsKey(name);
          if ((flags & 1) != 0 && exists) {
            return -ErrorCodes.EEXIST();
          }
          if ((flags & 2) != 0 && !exists) {
            return -ErrorCodes.ENODATA();
          }
          if (!exists && xattrs.size() >= FileVersion.MAX_XATTRS) {
            return -ErrorCodes.ENOSPC();
          }
          byte[] bytes = new byte[(int) size];
          value.get(0, bytes, 0, bytes.length);
          xattrs.put(name, bytes);
          replica.setAttributes(entry.id(), null, null, xattrs);
          return 0;
        });
  }

  @Override
  public int getxattr(String path, String name, Pointer value, long size) {
    if (!name.startsWith(USER_NAMESPACE)) {
      // security.capability is asked on every write: answer without touching the store.
      return -ErrorCodes.ENODATA();
    }
    return run(
        "getxattr",
        path,
        () -> {
          FileVersion entry = existing(path);
          byte[] bytes =
              name.equals(LOCK_XATTR)
                  ? locks.lockFor(path).map(DriveFileSystem::describe).orElse(null)
                  : entry.xattrs().get(name);
          if (bytes == null) {
            return -ErrorCodes.ENODATA();
          }
          return copyOut(bytes, value, size);
        });
  }

  @Override
  public int listxattr(String path, Pointer list, long size) {
    return run(
        "listxattr",
        path,
        () -> {
          java.io.ByteArrayOutputStream names = new java.io.ByteArrayOutputStream();
          // The lock attribute is read by name only: listed, tools copying attributes (cp -a,
          // rsync -X) would try to write it elsewhere.
          for (String name : existing(path).xattrs().keySet()) {
            if (name.startsWith(USER_NAMESPACE)) {
              names.writeBytes(name.getBytes(StandardCharsets.UTF_8));
              names.write(0);
            }
          }
          return copyOut(names.toByteArray(), list, size);
        });
  }

  @Override
  public int removexattr(String path, String name) {
    return run(
        "removexattr",
        path,
        () -> {
          if (!name.startsWith(USER_NAMESPACE)) {
            return -ErrorCodes.EOPNOTSUPP();
          }
          if (name.equals(LOCK_XATTR)) {
            return -ErrorCodes.EPERM();
          }
          FileVersion entry = existing(path);
          locks.requireNotHeldElsewhere(path);
          if (!entry.xattrs().containsKey(name)) {
            return -ErrorCodes.ENODATA();
          }
          SortedMap<String, byte[]> xattrs = new TreeMap<>(entry.xattrs());
          xattrs.remove(name);
          replica.setAttributes(entry.id(), null, null, xattrs);
          return 0;
        });
  }

  private static int copyOut(byte[] bytes, Pointer target, long size) {
    if (size == 0) {
      return bytes.length;
    }
    if (size < bytes.length) {
      return -ErrorCodes.ERANGE();
    }
    target.put(0, bytes, 0, bytes.length);
    return bytes.length;
  }

  // ---- locks -----------------------------------------------------------------------------------

  /**
   * Opening an existing file for writing takes its lock; when the version here is newer than the
   * one this device last showed the app, the app writes into a conflict copy instead, starting from
   * the version it read, and the newer version stays as it is.
   */
  private FileVersion openForWrite(String path, FileVersion entry) {
    takeLock(path);
    if (!readVersions.outdated(path, entry)) {
      return entry;
    }
    DrivePath place = DrivePath.of(path);
    FileVersion parent = directory(place.parent());
    FileVersion base = versionLastServed(path).orElse(entry);
    String copy = freeConflictName(parent, place.name(), services.deviceName());
    // Like a new file, the copy reaches peers with the save written into it, in one batch: they
    // never see it holding the old content first.
    FileId holding = FileId.random();
    creations.started(holding);
    FileVersion written;
    try {
      written =
          replica
              .commit(
                  Mutations.writeFile(
                      parent.id(), copy, contentOf(base), entry.mode(), base.mtimeNanos()),
                  false)
              .only()
              .version();
      creations.started(written.id());
    } finally {
      creations.ended(holding);
    }
    readVersions.keptAsConflict(path, copy);
    LOG.log(
        System.Logger.Level.WARNING,
        "{0} changed elsewhere since it was read here: this save goes to {1}",
        path,
        copy);
    return written;
  }

  /**
   * Opens a handle, emptying the file first when asked (O_TRUNC arrives with the open: the emptying
   * is staged like any write, so an overwrite commits one version at close).
   */
  private long openTruncating(FileVersion entry, int flags) throws IOException {
    long handle = openFiles.open(entry);
    if ((flags & O_TRUNC) != 0 && entry.type() == FileType.FILE) {
      try {
        OpenFile file = openFiles.byHandle(handle).orElseThrow();
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

  private java.util.Optional<FileVersion> versionLastServed(String path) {
    return readVersions
        .seen(path)
        .flatMap(
            seen ->
                replica.history(seen.id()).stream()
                    .map(org.gossipdrive.engine.tree.StoredVersion::version)
                    .filter(v -> ReadVersions.Seen.of(v).equals(seen) && !v.deleted())
                    .findFirst());
  }

  private String freeConflictName(FileVersion parent, String name, String deviceName) {
    String base = ConflictNames.copyName(name, deviceName, Instant.now());
    String candidate = base;
    for (int n = 2;
        replica.lookup(parent.id(), candidate).filter(v -> !v.deleted()).isPresent();
        n++) {
      candidate = ConflictNames.copyName(name, deviceName + " " + n, Instant.now());
    }
    return candidate;
  }

  /** The name of the device that wrote {@code version}: conflict copies carry it. */
  private String deviceNameOf(FileVersion version) {
    return version.author().equals(services.locks().self())
        ? services.deviceName()
        : replica.options().deviceNames().apply(version.author());
  }

  private static Mutations.Content contentOf(FileVersion version) {
    return new Mutations.Content(version.chunks(), version.size());
  }

  /**
   * Takes the lock of a document being changed. A save's companion or temporary file takes no lock
   * of its own (its document's lock covers it), but still respects one held elsewhere.
   */
  private void takeLock(String path) {
    if (incidental(path)) {
      locks.requireNotHeldElsewhere(path);
    } else {
      locks.acquire(path, caller());
    }
  }

  private boolean incidental(String path) {
    String name = DrivePath.of(path).name();
    return services.companions().documentOf(name).isPresent()
        || services.companions().isTransient(name);
  }

  /** The thread that made the current FUSE request (FUSE reports thread ids). */
  private long caller() {
    return getContext().pid.longValue();
  }

  private static byte[] describe(Lock lock) {
    return (lock.holderName() + " since " + lock.since()).getBytes(StandardCharsets.UTF_8);
  }

  /** Takes {@code path} for this device until {@link #unlock}: checkout-style. */
  public AcquireResult lock(String path) throws InterruptedException {
    existing(path);
    return locks.lockExplicitly(path);
  }

  public void unlock(String path) {
    locks.unlock(path);
  }

  /** Who holds this device's lock on {@code path}: process ids, or "explicit". */
  public java.util.List<String> lockOwners(String path) {
    return locks.ownersOf(path);
  }

  /** Saves kept as conflict copies because they were based on an outdated version. */
  public java.util.List<StaleSave> staleSaves() {
    return readVersions.staleSaves();
  }

  /**
   * The kernel is ready: from now on, peers' changes drop what it cached about the files they
   * touch.
   */
  @Override
  public Pointer init(Pointer conn) {
    kernelCache.attach(
        org.gossipdrive.platform.fuse.KernelNotifier.forMount(getContext().fuse.get().address()),
        mountPoint.toAbsolutePath());
    return null;
  }

  /** Stops notifying the kernel first: its channel goes away with the mount. */
  @Override
  public void umount() {
    kernelCache.close();
    super.umount();
  }

  /** Stops the lock and save watchers (after unmount). */
  public void closeServices() {
    temporaries.close();
    creations.close();
    locks.close();
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private FileVersion existing(String path) {
    if (path == null) {
      throw Errno.fail(ErrorCodes.ENOENT());
    }
    return replica
        .resolve(path)
        .filter(v -> !v.deleted())
        .orElseThrow(() -> Errno.fail(ErrorCodes.ENOENT()));
  }

  private FileVersion directory(String path) {
    FileVersion entry = existing(path);
    if (!entry.isDirectory()) {
      throw Errno.fail(ErrorCodes.ENOTDIR());
    }
    return entry;
  }

  private static FileVersion regularFile(FileVersion entry) {
    if (entry.isDirectory()) {
      throw Errno.fail(ErrorCodes.EISDIR());
    }
    if (entry.type() != FileType.FILE) {
      throw Errno.fail(ErrorCodes.EINVAL());
    }
    return entry;
  }

  private OpenFile handle(FuseFileInfo fi) {
    return openFiles.byHandle(fi.fh.get()).orElseThrow(() -> Errno.fail(ErrorCodes.EBADF()));
  }

  private byte[] buffer(int size) {
    byte[] buffer = buffers.get();
    if (buffer.length < size) {
      buffer = new byte[size];
      buffers.set(buffer);
    }
    return buffer;
  }

  @FunctionalInterface
  private interface Operation {
    int run() throws IOException;
  }

  /** Answers expected refusals with their errno; anything else is logged and becomes EIO. */
  private static int run(String name, String path, Operation operation) {
    try {
      return operation.run();
    } catch (Errno.Failure e) {
      return e.errno();
    } catch (TreeException e) {
      return Errno.of(e);
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, name + " " + path + " failed", e);
      return -ErrorCodes.EIO();
    }
  }
}
