package org.gossipdrive.tests.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import jnr.ffi.Pointer;
import ru.serce.jnrfuse.ErrorCodes;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.FuseStubFS;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.Timespec;

/**
 * A bare jnr-fuse passthrough to a directory: the benchmark's yardstick for what Java + FUSE costs
 * before the drive does any work of its own (chunking, hashing, compression, the store).
 */
public final class PassthroughFs extends FuseStubFS {
  private final BackingDirectory directory;

  public PassthroughFs(Path root) {
    this.directory = new BackingDirectory(root);
  }

  @FunctionalInterface
  private interface Call {
    int run() throws IOException;
  }

  private static int run(Call call) {
    try {
      return call.run();
    } catch (IOException e) {
      return switch (BackingDirectory.Failure.of(e)) {
        case NOT_FOUND -> -ErrorCodes.ENOENT();
        case EXISTS -> -ErrorCodes.EEXIST();
        case OTHER -> -ErrorCodes.EIO();
      };
    }
  }

  @Override
  public int getattr(String path, FileStat stat) {
    return run(
        () -> {
          BackingDirectory.Attributes a = directory.attributes(path);
          stat.st_mode.set(a.mode());
          stat.st_size.set(a.size());
          stat.st_uid.set(a.uid());
          stat.st_gid.set(a.gid());
          stat.st_nlink.set(a.linkCount());
          stat.st_mtim.tv_sec.set(a.mtime().getEpochSecond());
          stat.st_mtim.tv_nsec.set(a.mtime().getNano());
          return 0;
        });
  }

  @Override
  public int readdir(String path, Pointer buf, FuseFillDir filler, long offset, FuseFileInfo fi) {
    return run(
        () -> {
          var names = directory.names(path);
          filler.apply(buf, ".", null, 0);
          filler.apply(buf, "..", null, 0);
          names.forEach(name -> filler.apply(buf, name, null, 0));
          return 0;
        });
  }

  @Override
  public int mkdir(String path, long mode) {
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
  public int rename(String from, String to) {
    return run(
        () -> {
          directory.rename(from, to);
          return 0;
        });
  }

  @Override
  public int truncate(String path, long size) {
    return run(
        () -> {
          directory.truncate(path, size);
          return 0;
        });
  }

  @Override
  public int chmod(String path, long mode) {
    return 0;
  }

  @Override
  public int utimens(String path, Timespec[] timespec) {
    return 0;
  }

  @Override
  public int create(String path, long mode, FuseFileInfo fi) {
    return open(path, fi, true);
  }

  @Override
  public int open(String path, FuseFileInfo fi) {
    return open(path, fi, false);
  }

  private int open(String path, FuseFileInfo fi, boolean create) {
    return run(
        () -> {
          fi.fh.set(directory.open(path, create));
          return 0;
        });
  }

  @Override
  public int read(String path, Pointer buf, long size, long offset, FuseFileInfo fi) {
    return run(
        () -> {
          byte[] data = new byte[(int) size];
          int read = directory.read(fi.fh.get(), ByteBuffer.wrap(data), offset);
          buf.put(0, data, 0, read);
          return read;
        });
  }

  @Override
  public int write(String path, Pointer buf, long size, long offset, FuseFileInfo fi) {
    return run(
        () -> {
          byte[] data = new byte[(int) size];
          buf.get(0, data, 0, data.length);
          directory.write(fi.fh.get(), ByteBuffer.wrap(data), offset);
          return (int) size;
        });
  }

  @Override
  public int fsync(String path, int datasync, FuseFileInfo fi) {
    return run(
        () -> {
          directory.fsync(fi.fh.get(), datasync == 0);
          return 0;
        });
  }

  @Override
  public int release(String path, FuseFileInfo fi) {
    return run(
        () -> {
          directory.release(fi.fh.get());
          return 0;
        });
  }
}
