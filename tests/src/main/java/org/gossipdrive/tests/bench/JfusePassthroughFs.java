package org.gossipdrive.tests.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.cryptomator.jfuse.api.DirFiller;
import org.cryptomator.jfuse.api.Errno;
import org.cryptomator.jfuse.api.FileInfo;
import org.cryptomator.jfuse.api.Fuse;
import org.cryptomator.jfuse.api.FuseConfig;
import org.cryptomator.jfuse.api.FuseConnInfo;
import org.cryptomator.jfuse.api.FuseOperations;
import org.cryptomator.jfuse.api.Stat;
import org.cryptomator.jfuse.api.TimeSpec;
import org.gossipdrive.platform.fuse.Libfuse3;

/**
 * A bare jfuse (libfuse 3) passthrough to a directory, with the drive's connection settings (1 MiB
 * requests, the same timeouts): what Java + libfuse 3 costs before the drive does any work of its
 * own. The benchmark's yardstick for the jfuse binding, as {@link PassthroughFs} is for jnr-fuse.
 */
public final class JfusePassthroughFs implements FuseOperations, AutoCloseable {
  private static final int MAX_IO = 1 << 20;

  private final BackingDirectory directory;
  private final Errno errno;
  private final Fuse fuse;

  private JfusePassthroughFs(Path root, Libfuse3 libfuse) {
    this.directory = new BackingDirectory(root);
    var builder = Fuse.builder();
    builder.setLibraryPath(libfuse.library().toString());
    this.errno = builder.errno();
    this.fuse = builder.build(this);
  }

  /** Mounts {@code source} at {@code mountPoint}, or fails when libfuse 3 is not installed. */
  public static JfusePassthroughFs mount(Path source, Path mountPoint) throws Exception {
    Libfuse3 libfuse =
        Libfuse3.load().orElseThrow(() -> new IOException("libfuse 3 is not installed"));
    JfusePassthroughFs fs = new JfusePassthroughFs(source, libfuse);
    fs.fuse.mount(
        "passthrough",
        mountPoint,
        "-ofsname=jfuse-passthrough",
        "-oattr_timeout=1,entry_timeout=1,negative_timeout=0");
    return fs;
  }

  @Override
  public void close() throws Exception {
    fuse.close();
  }

  @Override
  public Errno errno() {
    return errno;
  }

  @Override
  public Set<Operation> supportedOperations() {
    return EnumSet.of(
        Operation.INIT,
        Operation.GET_ATTR,
        Operation.READ_DIR,
        Operation.MKDIR,
        Operation.RMDIR,
        Operation.UNLINK,
        Operation.RENAME,
        Operation.TRUNCATE,
        Operation.CHMOD,
        Operation.UTIMENS,
        Operation.CREATE,
        Operation.OPEN,
        Operation.READ,
        Operation.WRITE,
        Operation.FSYNC,
        Operation.RELEASE);
  }

  @Override
  public void init(FuseConnInfo conn, FuseConfig cfg) {
    conn.setMaxWrite(MAX_IO);
    conn.setMaxReadahead(MAX_IO);
  }

  @FunctionalInterface
  private interface Call {
    int run() throws IOException;
  }

  private int run(Call call) {
    try {
      return call.run();
    } catch (IOException e) {
      return switch (BackingDirectory.Failure.of(e)) {
        case NOT_FOUND -> -errno.enoent();
        case EXISTS -> -errno.eexist();
        case OTHER -> -errno.eio();
      };
    }
  }

  @Override
  public int getattr(String path, Stat stat, FileInfo fi) {
    return run(
        () -> {
          BackingDirectory.Attributes a = directory.attributes(path);
          stat.setMode(a.mode());
          stat.setSize(a.size());
          stat.setUid(a.uid());
          stat.setGid(a.gid());
          stat.setNLink((short) a.linkCount());
          stat.mTime().set(a.mtime());
          return 0;
        });
  }

  @Override
  public int readdir(String path, DirFiller filler, long offset, FileInfo fi, int flags) {
    return run(
        () -> {
          var names = directory.names(path);
          filler.fill(".");
          filler.fill("..");
          for (String name : names) {
            filler.fill(name);
          }
          return 0;
        });
  }

  @Override
  public int mkdir(String path, int mode) {
    return run(
        () -> {
          directory.mkdir(path);
          return 0;
        });
  }

  @Override
  public int rmdir(String path) {
    return unlink(path);
  }

  @Override
  public int unlink(String path) {
    return run(
        () -> {
          directory.delete(path);
          return 0;
        });
  }

  @Override
  public int rename(String from, String to, int flags) {
    return run(
        () -> {
          directory.rename(from, to);
          return 0;
        });
  }

  @Override
  public int truncate(String path, long size, FileInfo fi) {
    return run(
        () -> {
          directory.truncate(path, size);
          return 0;
        });
  }

  @Override
  public int chmod(String path, int mode, FileInfo fi) {
    return 0;
  }

  @Override
  public int utimens(String path, TimeSpec atime, TimeSpec mtime, FileInfo fi) {
    return 0;
  }

  @Override
  public int create(String path, int mode, FileInfo fi) {
    return open(path, fi, true);
  }

  @Override
  public int open(String path, FileInfo fi) {
    return open(path, fi, false);
  }

  private int open(String path, FileInfo fi, boolean create) {
    return run(
        () -> {
          fi.setFh(directory.open(path, create));
          return 0;
        });
  }

  /** libfuse's buffer is native memory: the file is read straight into it, and written from it. */
  @Override
  public int read(String path, ByteBuffer buf, long count, long offset, FileInfo fi) {
    return run(() -> directory.read(fi.getFh(), buf.slice(0, (int) count), offset));
  }

  @Override
  public int write(String path, ByteBuffer buf, long count, long offset, FileInfo fi) {
    return run(
        () -> {
          directory.write(fi.getFh(), buf.slice(0, (int) count), offset);
          return (int) count;
        });
  }

  @Override
  public int fsync(String path, int datasync, FileInfo fi) {
    return run(
        () -> {
          directory.fsync(fi.getFh(), datasync == 0);
          return 0;
        });
  }

  @Override
  public int release(String path, FileInfo fi) {
    return run(
        () -> {
          directory.release(fi.getFh());
          return 0;
        });
  }
}
