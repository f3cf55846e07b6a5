package org.gossipdrive.fs.fuse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.cryptomator.jfuse.api.DirFiller;
import org.cryptomator.jfuse.api.Errno;
import org.cryptomator.jfuse.api.FileInfo;
import org.cryptomator.jfuse.api.FuseConfig;
import org.cryptomator.jfuse.api.FuseConnInfo;
import org.cryptomator.jfuse.api.FuseOperations;
import org.cryptomator.jfuse.api.Stat;
import org.cryptomator.jfuse.api.Statvfs;
import org.cryptomator.jfuse.api.TimeSpec;
import org.gossipdrive.fs.vfs.Attributes;
import org.gossipdrive.fs.vfs.Caller;
import org.gossipdrive.fs.vfs.DriveException;
import org.gossipdrive.fs.vfs.DriveVfs;
import org.gossipdrive.fs.vfs.OpenFlags;
import org.gossipdrive.fs.vfs.StorageSpace;

/**
 * The drive through jfuse (the FUSE library's high-level API over FFM): each call translated into a
 * {@link DriveVfs} call, each refusal into its errno, attributes into {@code struct stat}, and
 * peers' changes into kernel cache drops where the library allows them ({@link FuseRequests}). No
 * drive semantics live here (ADR 26, 27). The same adapter serves every {@link MountProvider} (ADR
 * 31): libfuse 3 on Linux, macFUSE and FUSE-T on macOS, WinFsp on Windows.
 *
 * <p>libfuse 3 cannot be told {@code hard_remove} through jfuse: a file unlinked while open is
 * renamed to {@code .fuse_hiddenNNN} instead. Such a rename is the unlink here, and the hidden name
 * never reaches the tree or peers: it is remembered only to answer {@code stat} and the kernel's
 * xattr queries on it while the file stays open ({@link HiddenNames}).
 *
 * <p>Its length is one short method per FUSE operation (about forty): each only translates, and
 * splitting them by theme would scatter the one table a reader checks against libfuse's.
 */
final class JfuseAdapter implements FuseOperations {
  private static final System.Logger LOG = System.getLogger(JfuseAdapter.class.getName());

  /** libfuse 3 negotiates up to 1 MiB per request (libfuse 2: 128 KiB). */
  static final int MAX_IO = 1 << 20;

  private final DriveVfs vfs;
  private final Errno errno;
  private final FuseRequests requests;
  private final PlatformFlags platformFlags;
  private final long uid;
  private final long gid;
  private final KernelAwareDrive drive;
  private final KernelCache kernelCache;
  private final DirectoryListings listings = new DirectoryListings();

  private final HiddenNames hiddenNames = new HiddenNames();

  /** What jfuse leaves out on Linux (fallocate, st_blocks); empty elsewhere. */
  private final java.util.Optional<JfuseLinuxExtras> extras;

  JfuseAdapter(
      DriveVfs vfs,
      Errno errno,
      FuseRequests requests,
      PlatformFlags platformFlags,
      Path ownerDirectory,
      java.util.Optional<JfuseLinuxExtras> extras) {
    this.vfs = vfs;
    this.extras = extras;
    this.errno = errno;
    this.requests = requests;
    this.platformFlags = platformFlags;
    StatFiller owner = StatFiller.ownedLike(ownerDirectory);
    this.uid = owner.uid();
    this.gid = owner.gid();
    this.drive = new KernelAwareDrive(vfs);
    this.kernelCache = drive.kernelCache();
  }

  KernelCache kernelCache() {
    return kernelCache;
  }

  @Override
  public Errno errno() {
    return errno;
  }

  @Override
  public Set<Operation> supportedOperations() {
    return EnumSet.of(
        Operation.ACCESS,
        Operation.CHMOD,
        Operation.CHOWN,
        Operation.CREATE,
        Operation.FLUSH,
        Operation.FSYNC,
        Operation.FSYNCDIR,
        Operation.GET_ATTR,
        Operation.GET_XATTR,
        Operation.INIT,
        Operation.LIST_XATTR,
        Operation.MKDIR,
        Operation.OPEN,
        Operation.OPEN_DIR,
        Operation.READ,
        Operation.READLINK,
        Operation.READ_DIR,
        Operation.RELEASE,
        Operation.RELEASE_DIR,
        Operation.REMOVE_XATTR,
        Operation.RENAME,
        Operation.RMDIR,
        Operation.SET_XATTR,
        Operation.STATFS,
        Operation.SYMLINK,
        Operation.TRUNCATE,
        Operation.UNLINK,
        Operation.UTIMENS,
        Operation.WRITE);
  }

  /**
   * 1 MiB requests; every listing with its entries' attributes (readdirplus without the kernel's
   * "auto" heuristic, which asks for them only in a listing's first request unless the reader stats
   * between requests, and {@code ls} stats after listing); the kernel's cache drops go through the
   * library from now on, if it can.
   */
  @Override
  public void init(FuseConnInfo conn, FuseConfig cfg) {
    conn.setMaxWrite(MAX_IO);
    conn.setMaxReadahead(MAX_IO);
    conn.setWant(
        (conn.want() | (conn.capable() & FuseConnInfo.FUSE_CAP_ATOMIC_O_TRUNC))
            & ~FuseConnInfo.FUSE_CAP_READDIRPLUS_AUTO);
    kernelCache.attach(requests.invalidator());
  }

  @Override
  public int getattr(String path, Stat stat, FileInfo fi) {
    return run(
        "getattr",
        path,
        () -> {
          if (fi != null) {
            fill(stat, drive.attributes(HiddenNames.shown(path), fi.getFh()));
          } else if (HiddenNames.isHidden(path)) {
            fill(stat, hiddenNames.attributes(path, vfs));
          } else {
            fill(stat, drive.attributes(path));
          }
          return 0;
        });
  }

  private void fill(Stat stat, Attributes attributes) {
    int type =
        switch (attributes.type()) {
          case DIRECTORY -> Stat.S_IFDIR;
          case SYMLINK -> Stat.S_IFLNK;
          default -> Stat.S_IFREG;
        };
    stat.setMode(type | attributes.permissions());
    stat.setNLink((short) attributes.linkCount());
    stat.setUid((int) uid);
    stat.setGid((int) gid);
    stat.setSize(attributes.size());
    extras.ifPresent(x -> x.setBlocks(stat, (attributes.allocatedBytes() + 511) / 512));
    java.time.Instant time = java.time.Instant.ofEpochSecond(0, attributes.mtimeNanos());
    stat.mTime().set(time);
    stat.cTime().set(time);
    stat.aTime().set(time);
  }

  @Override
  public int access(String path, int mask) {
    return run("access", path, () -> vfs.access(path));
  }

  @Override
  public int opendir(String path, FileInfo fi) {
    return run(
        "opendir",
        path,
        () -> {
          fi.setFh(listings.open(vfs.list(path)));
          return 0;
        });
  }

  @Override
  public int readdir(String path, DirFiller filler, long offset, FileInfo fi, int flags) {
    String prefix = path.endsWith("/") ? path : path + "/";
    return run(
        "readdir",
        path,
        () -> {
          listings.fill(
              fi == null ? 0 : fi.getFh(),
              offset,
              (flags & DirectoryListings.READDIR_PLUS) != 0,
              filler,
              () -> vfs.list(path),
              name -> statIfThere(prefix + name));
          return 0;
        });
  }

  /** An entry's attributes for a listing, or null if it went meanwhile (then it is listed bare). */
  private java.util.function.Consumer<Stat> statIfThere(String path) {
    try {
      Attributes attributes = drive.attributes(path);
      return stat -> fill(stat, attributes);
    } catch (DriveException e) {
      return null;
    }
  }

  @Override
  public int statfs(String path, Statvfs stat) {
    return run(
        "statfs",
        path,
        () -> {
          StorageSpace space = vfs.space();
          long block = 4096;
          stat.setBsize(block);
          stat.setFrsize(block);
          stat.setBlocks(space.totalBytes() / block);
          stat.setBfree(space.freeBytes() / block);
          stat.setBavail(space.availableBytes() / block);
          stat.setNameMax(255);
          return 0;
        });
  }

  @Override
  public int mkdir(String path, int mode) {
    return run("mkdir", path, () -> vfs.mkdir(path, mode));
  }

  @Override
  public int rmdir(String path) {
    return run("rmdir", path, () -> vfs.rmdir(path));
  }

  @Override
  public int unlink(String path) {
    if (HiddenNames.isHidden(path)) {
      hiddenNames.dropped(path);
      return 0; // the last descriptor of an unlinked file closed: it went with the unlink
    }
    return run("unlink", path, () -> vfs.unlink(caller(), path));
  }

  @Override
  public int rename(String from, String to, int flags) {
    if (HiddenNames.isHidden(to)) {
      // libfuse hides a file unlinked while open: that is the unlink.
      return run(
          "unlink",
          from,
          () -> {
            var id = vfs.idAt(from);
            vfs.unlink(caller(), from);
            id.ifPresent(unlinked -> hiddenNames.hid(to, unlinked));
          });
    }
    if (flags != 0) {
      return -errno.einval(); // RENAME_NOREPLACE / RENAME_EXCHANGE are not offered yet
    }
    return run("rename", from, () -> drive.rename(caller(), from, to));
  }

  @Override
  public int symlink(String target, String path) {
    return run("symlink", path, () -> vfs.symlink(target, path));
  }

  @Override
  public int readlink(String path, ByteBuffer buf, long len) {
    return run(
        "readlink",
        path,
        () -> {
          byte[] target = vfs.readlink(path).getBytes(StandardCharsets.UTF_8);
          int length = (int) Math.min(target.length, len - 1);
          buf.put(0, target, 0, length);
          buf.put(length, (byte) 0);
          return 0;
        });
  }

  @Override
  public int chmod(String path, int mode, FileInfo fi) {
    return run("chmod", path, () -> vfs.chmod(path, mode));
  }

  @Override
  public int chown(String path, int uid, int gid, FileInfo fi) {
    return run("chown", path, () -> vfs.chown(path));
  }

  @Override
  public int utimens(String path, TimeSpec atime, TimeSpec mtime, FileInfo fi) {
    Long nanos =
        mtime.isUtimeOmit()
            ? null
            : mtime.isUtimeNow()
                ? System.currentTimeMillis() * 1_000_000L
                : mtime.get().getEpochSecond() * 1_000_000_000L + mtime.get().getNano();
    return run("utimens", path, () -> vfs.setModified(path, nanos));
  }

  @Override
  public int truncate(String path, long size, FileInfo fi) {
    if (fi != null) {
      return run("ftruncate", path, () -> vfs.truncate(fi.getFh(), size));
    }
    return run("truncate", path, () -> vfs.truncate(caller(), path, size));
  }

  /** Not a jfuse operation: {@link JfuseLinuxExtras} binds it where libfuse 3 has it. */
  int fallocate(String path, int mode, long offset, long length, long handle) {
    return run("fallocate", path, () -> Fallocate.apply(vfs, handle, mode, offset, length));
  }

  private static final int SEEK_DATA = 3;
  private static final int SEEK_HOLE = 4;

  /**
   * Not a jfuse operation either ({@link JfuseLinuxExtras}). The kernel asks only for SEEK_DATA and
   * SEEK_HOLE; it answers the other whences itself.
   */
  long lseek(String path, long offset, int whence, long handle) {
    if (whence != SEEK_DATA && whence != SEEK_HOLE) {
      return -errno.einval();
    }
    long[] found = {0};
    int status = run("lseek", path, () -> found[0] = vfs.seek(handle, offset, whence == SEEK_HOLE));
    return status < 0 ? status : found[0];
  }

  @Override
  public int create(String path, int mode, FileInfo fi) {
    return run(
        "create",
        path,
        () -> {
          fi.setFh(vfs.create(caller(), path, mode, flags(fi)));
          return 0;
        });
  }

  @Override
  public int open(String path, FileInfo fi) {
    return run(
        "open",
        path,
        () -> {
          fi.setFh(drive.open(caller(), path, flags(fi)));
          return 0;
        });
  }

  private OpenFlags flags(FileInfo fi) {
    return platformFlags.open(fi.getFlags());
  }

  /** A buffer per thread: libfuse's buffer is valid only during the call. */
  private final ThreadLocal<byte[]> buffers = ThreadLocal.withInitial(() -> new byte[MAX_IO]);

  private byte[] buffer(int size) {
    byte[] buffer = buffers.get();
    if (buffer.length < size) {
      buffer = new byte[size];
      buffers.set(buffer);
    }
    return buffer;
  }

  @Override
  public int read(String path, ByteBuffer buf, long count, long offset, FileInfo fi) {
    return run(
        "read",
        path,
        () -> {
          byte[] buffer = buffer((int) count);
          int read = vfs.read(HiddenNames.shown(path), fi.getFh(), offset, buffer, (int) count);
          buf.put(0, buffer, 0, read);
          return read;
        });
  }

  @Override
  public int write(String path, ByteBuffer buf, long count, long offset, FileInfo fi) {
    return run(
        "write",
        path,
        () -> {
          byte[] buffer = buffer((int) count);
          buf.get(0, buffer, 0, (int) count);
          vfs.write(fi.getFh(), offset, buffer, (int) count);
          return (int) count;
        });
  }

  @Override
  public int flush(String path, FileInfo fi) {
    return run("flush", path, () -> vfs.flush(fi.getFh()));
  }

  @Override
  public int fsync(String path, int datasync, FileInfo fi) {
    return run("fsync", path, () -> vfs.fsync(fi.getFh()));
  }

  @Override
  public int fsyncdir(String path, int datasync, FileInfo fi) {
    return run("fsyncdir", path, vfs::syncTree);
  }

  @Override
  public int release(String path, FileInfo fi) {
    return run("release", path, () -> drive.release(fi.getFh()));
  }

  @Override
  public int releasedir(String path, FileInfo fi) {
    listings.close(fi.getFh());
    return 0;
  }

  @Override
  public int setxattr(String path, String name, ByteBuffer value, int flags) {
    return run(
        "setxattr",
        path,
        () -> {
          byte[] bytes = new byte[value.remaining()];
          value.get(bytes);
          vfs.setXattr(
              path,
              name,
              bytes,
              platformFlags.xattrMustBeNew(flags),
              platformFlags.xattrMustExist(flags));
          return 0;
        });
  }

  @Override
  public int getxattr(String path, String name, ByteBuffer value) {
    if (HiddenNames.isHidden(path)) {
      return -errno.enodata(); // the kernel asks security.capability before each write
    }
    return run("getxattr", path, () -> copyOut(vfs.getXattr(path, name), value));
  }

  @Override
  public int listxattr(String path, ByteBuffer list) {
    if (HiddenNames.isHidden(path)) {
      return 0;
    }
    return run("listxattr", path, () -> copyOut(drive.attributeNames(path), list));
  }

  @Override
  public int removexattr(String path, String name) {
    return run("removexattr", path, () -> vfs.removeXattr(path, name));
  }

  private int copyOut(byte[] bytes, ByteBuffer target) {
    if (target.capacity() == 0) {
      return bytes.length;
    }
    if (target.capacity() < bytes.length) {
      return -errno.erange();
    }
    target.put(0, bytes);
    return bytes.length;
  }

  private Caller caller() {
    return requests.caller();
  }

  @FunctionalInterface
  private interface Answer {
    int run() throws IOException;
  }

  @FunctionalInterface
  private interface Action {
    void run() throws IOException;
  }

  private int run(String name, String path, Action action) {
    return run(
        name,
        path,
        (Answer)
            () -> {
              action.run();
              return 0;
            });
  }

  /**
   * Answers refusals with their errno; anything else is logged and becomes EIO. Nothing may escape
   * an upcall: jfuse does not catch, and an exception there ends the JVM.
   */
  private int run(String name, String path, Answer operation) {
    try {
      return operation.run();
    } catch (DriveException e) {
      return -org.gossipdrive.fs.fuse.Errno.of(e.reason());
    } catch (Throwable e) {
      LOG.log(System.Logger.Level.ERROR, name + " " + path + " failed", e);
      return -errno.eio();
    }
  }
}
