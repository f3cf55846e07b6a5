package org.gossipdrive.fs.fuse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import jnr.ffi.Pointer;
import org.gossipdrive.fs.vfs.Attributes;
import org.gossipdrive.fs.vfs.Caller;
import org.gossipdrive.fs.vfs.DriveException;
import org.gossipdrive.fs.vfs.DriveVfs;
import org.gossipdrive.fs.vfs.OpenFlags;
import org.gossipdrive.fs.vfs.StorageSpace;
import org.gossipdrive.platform.fuse.KernelNotifier;
import ru.serce.jnrfuse.ErrorCodes;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.FuseStubFS;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.Statvfs;
import ru.serce.jnrfuse.struct.Timespec;

/**
 * The drive through jnr-fuse (libfuse 2's path API): each FUSE call translated into a {@link
 * DriveVfs} call, each refusal into its errno, attributes into {@code struct stat}, and peers'
 * changes into kernel cache drops ({@link KernelCache}). No drive semantics live here. POSIX
 * advisory locks (fcntl, flock) are left to the kernel, which keeps them between this machine's
 * processes.
 */
public final class JnrFuseAdapter extends FuseStubFS {
  private static final System.Logger LOG = System.getLogger(JnrFuseAdapter.class.getName());
  private static final int O_ACCMODE = 3;
  private static final int O_EXCL = 0200;
  private static final int O_TRUNC = 01000;
  private static final long UTIME_NOW = (1L << 30) - 1;
  private static final long UTIME_OMIT = (1L << 30) - 2;

  private final DriveVfs vfs;
  private final StatFiller stats;
  private final KernelAwareDrive drive;
  private final KernelCache kernelCache;
  private final ThreadLocal<byte[]> buffers = ThreadLocal.withInitial(() -> new byte[128 << 10]);

  public JnrFuseAdapter(DriveVfs vfs, Path ownerDirectory) {
    this.vfs = vfs;
    this.stats = StatFiller.ownedLike(ownerDirectory);
    this.drive = new KernelAwareDrive(vfs);
    this.kernelCache = drive.kernelCache();
    allowNullPaths();
  }

  /**
   * Sets libfuse's flag_nullpath_ok and flag_utime_omit_ok bits (jnr-fuse maps the bitfield as
   * padding): handle operations on an unlinked open file then reach us without a path instead of
   * failing with ENOENT, and UTIME_OMIT arrives as is.
   */
  private void allowNullPaths() {
    Pointer operations = jnr.ffi.Struct.getMemory(fuseOperations);
    long offset = memberOffset(fuseOperations.flag_nullpath_ok);
    operations.putInt(offset, operations.getInt(offset) | 0b101);
  }

  @Override
  public int getattr(String path, FileStat stat) {
    return run("getattr", path, () -> fill(stat, drive.attributes(path)));
  }

  @Override
  public int fgetattr(String path, FileStat stat, FuseFileInfo fi) {
    return run("fgetattr", path, () -> fill(stat, drive.attributes(path, fi.fh.get())));
  }

  private int fill(FileStat stat, Attributes attributes) {
    stats.fill(stat, attributes);
    return 0;
  }

  @Override
  public int access(String path, int mask) {
    return run("access", path, () -> vfs.access(path));
  }

  @Override
  public int readdir(String path, Pointer buf, FuseFillDir filler, long offset, FuseFileInfo fi) {
    return run(
        "readdir",
        path,
        () -> {
          var names = vfs.list(path);
          filler.apply(buf, ".", null, 0);
          filler.apply(buf, "..", null, 0);
          for (String name : names) {
            if (filler.apply(buf, name, null, 0) != 0) {
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
          StorageSpace space = vfs.space();
          long block = 4096;
          stat.f_bsize.set(block);
          stat.f_frsize.set(block);
          stat.f_blocks.set(space.totalBytes() / block);
          stat.f_bfree.set(space.freeBytes() / block);
          stat.f_bavail.set(space.availableBytes() / block);
          stat.f_files.set(1L << 32);
          stat.f_ffree.set(1L << 31);
          stat.f_favail.set(1L << 31);
          stat.f_namemax.set(255);
          return 0;
        });
  }

  @Override
  public int mkdir(String path, long mode) {
    return run("mkdir", path, () -> vfs.mkdir(path, (int) mode));
  }

  @Override
  public int rmdir(String path) {
    return run("rmdir", path, () -> vfs.rmdir(path));
  }

  @Override
  public int unlink(String path) {
    return run("unlink", path, () -> vfs.unlink(caller(), path));
  }

  @Override
  public int rename(String from, String to) {
    return run("rename", from, () -> drive.rename(caller(), from, to));
  }

  @Override
  public int symlink(String target, String path) {
    return run("symlink", path, () -> vfs.symlink(target, path));
  }

  @Override
  public int readlink(String path, Pointer buf, long size) {
    return run(
        "readlink",
        path,
        () -> {
          byte[] target = vfs.readlink(path).getBytes(StandardCharsets.UTF_8);
          int length = (int) Math.min(target.length, size - 1);
          buf.put(0, target, 0, length);
          buf.putByte(length, (byte) 0);
          return 0;
        });
  }

  @Override
  public int link(String from, String to) {
    return run("link", from, () -> vfs.link(from, to));
  }

  @Override
  public int mknod(String path, long mode, long rdev) {
    return run("mknod", path, () -> vfs.mknod(path, (int) mode));
  }

  @Override
  public int chmod(String path, long mode) {
    return run("chmod", path, () -> vfs.chmod(path, (int) mode));
  }

  @Override
  public int chown(String path, long uid, long gid) {
    return run("chown", path, () -> vfs.chown(path));
  }

  @Override
  public int utimens(String path, Timespec[] times) {
    long nsec = times[1].tv_nsec.longValue();
    Long mtime =
        nsec == UTIME_OMIT
            ? null
            : nsec == UTIME_NOW
                ? System.currentTimeMillis() * 1_000_000L
                : times[1].tv_sec.get() * 1_000_000_000L + nsec;
    return run("utimens", path, () -> vfs.setModified(path, mtime));
  }

  @Override
  public int truncate(String path, long size) {
    return run("truncate", path, () -> vfs.truncate(caller(), path, size));
  }

  @Override
  public int create(String path, long mode, FuseFileInfo fi) {
    return run(
        "create",
        path,
        () -> {
          fi.fh.set(vfs.create(caller(), path, (int) mode, flags(fi)));
          return 0;
        });
  }

  @Override
  public int open(String path, FuseFileInfo fi) {
    return run(
        "open",
        path,
        () -> {
          fi.fh.set(drive.open(caller(), path, flags(fi)));
          return 0;
        });
  }

  private static OpenFlags flags(FuseFileInfo fi) {
    int flags = fi.flags.get();
    return new OpenFlags((flags & O_ACCMODE) != 0, (flags & O_EXCL) != 0, (flags & O_TRUNC) != 0);
  }

  @Override
  public int read(String path, Pointer buf, long size, long offset, FuseFileInfo fi) {
    return run(
        "read",
        path,
        () -> {
          byte[] buffer = buffer((int) size);
          int count = vfs.read(path, fi.fh.get(), offset, buffer, (int) size);
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
          vfs.write(fi.fh.get(), offset, buffer, (int) size);
          return (int) size;
        });
  }

  @Override
  public int ftruncate(String path, long size, FuseFileInfo fi) {
    return run("ftruncate", path, () -> vfs.truncate(fi.fh.get(), size));
  }

  @Override
  public int fallocate(String path, int mode, long offset, long length, FuseFileInfo fi) {
    return run("fallocate", path, () -> Fallocate.apply(vfs, fi.fh.get(), mode, offset, length));
  }

  @Override
  public int flush(String path, FuseFileInfo fi) {
    return run("flush", path, () -> vfs.flush(fi.fh.get()));
  }

  @Override
  public int fsync(String path, int datasync, FuseFileInfo fi) {
    return run("fsync", path, () -> vfs.fsync(fi.fh.get()));
  }

  @Override
  public int fsyncdir(String path, FuseFileInfo fi) {
    return run("fsyncdir", path, vfs::syncTree);
  }

  @Override
  public int release(String path, FuseFileInfo fi) {
    return run("release", path, () -> drive.release(fi.fh.get()));
  }

  @Override
  public int setxattr(String path, String name, Pointer value, long size, int flags) {
    return run(
        "setxattr",
        path,
        () -> {
          if (size > Integer.MAX_VALUE) {
            return -Errno.E2BIG;
          }
          byte[] bytes = new byte[(int) Math.min(size, 1 << 20)];
          if (size > bytes.length) {
            return -Errno.E2BIG;
          }
          value.get(0, bytes, 0, bytes.length);
          vfs.setXattr(path, name, bytes, (flags & 1) != 0, (flags & 2) != 0);
          return 0;
        });
  }

  @Override
  public int getxattr(String path, String name, Pointer value, long size) {
    return run("getxattr", path, () -> copyOut(vfs.getXattr(path, name), value, size));
  }

  @Override
  public int listxattr(String path, Pointer list, long size) {
    return run("listxattr", path, () -> copyOut(drive.attributeNames(path), list, size));
  }

  @Override
  public int removexattr(String path, String name) {
    return run("removexattr", path, () -> vfs.removeXattr(path, name));
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

  private static long memberOffset(Object member) {
    try {
      var method = Class.forName("jnr.ffi.Struct$Member").getDeclaredMethod("offset");
      method.setAccessible(true);
      return (long) method.invoke(member);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("unexpected jnr-ffi version: " + e, e);
    }
  }

  /** The kernel is ready: peers' changes drop what it cached about the files they touch. */
  @Override
  public Pointer init(Pointer conn) {
    Path mounted = mountPoint.toAbsolutePath();
    kernelCache.attach(
        KernelNotifier.forMount(getContext().fuse.get().address())
            .map(notifier -> new InodeInvalidator(notifier, mounted)));
    return null;
  }

  /** Stops notifying the kernel first: its channel goes away with the mount. */
  @Override
  public void umount() {
    kernelCache.close();
    super.umount();
  }

  /** The process that made the current FUSE request (FUSE reports thread ids). */
  private Caller caller() {
    var context = getContext();
    return new Caller(context.pid.longValue(), context.uid.longValue(), context.gid.longValue());
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

  @FunctionalInterface
  private interface Action {
    void run() throws IOException;
  }

  private static Operation done(Action action) {
    return () -> {
      action.run();
      return 0;
    };
  }

  private static int run(String name, String path, Action action) {
    return run(name, path, done(action));
  }

  /** Answers refusals with their errno; anything else is logged and becomes EIO. */
  private static int run(String name, String path, Operation operation) {
    try {
      return operation.run();
    } catch (DriveException e) {
      return -Errno.of(e.reason());
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, name + " " + path + " failed", e);
      return -ErrorCodes.EIO();
    }
  }
}
