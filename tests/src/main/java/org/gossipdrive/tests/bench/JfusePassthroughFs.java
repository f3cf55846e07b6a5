package org.gossipdrive.tests.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
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

  private final Path root;
  private final Errno errno;
  private final Fuse fuse;
  private final AtomicLong handles = new AtomicLong(1);
  private final Map<Long, FileChannel> open = new ConcurrentHashMap<>();

  private JfusePassthroughFs(Path root, Libfuse3 libfuse) {
    this.root = root;
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

  private Path real(String path) {
    return root.resolve(path.substring(1));
  }

  private int errno(IOException e) {
    if (e instanceof NoSuchFileException) {
      return -errno.enoent();
    }
    if (e instanceof FileAlreadyExistsException) {
      return -errno.eexist();
    }
    return -errno.eio();
  }

  @Override
  public int getattr(String path, Stat stat, FileInfo fi) {
    try {
      Map<String, Object> a =
          Files.readAttributes(
              real(path),
              "unix:mode,size,uid,gid,lastModifiedTime,nlink",
              LinkOption.NOFOLLOW_LINKS);
      stat.setMode((Integer) a.get("mode"));
      stat.setSize((Long) a.get("size"));
      stat.setUid((Integer) a.get("uid"));
      stat.setGid((Integer) a.get("gid"));
      stat.setNLink(((Integer) a.get("nlink")).shortValue());
      stat.mTime().set(((FileTime) a.get("lastModifiedTime")).toInstant());
      return 0;
    } catch (IOException e) {
      return errno(e);
    }
  }

  @Override
  public int readdir(String path, DirFiller filler, long offset, FileInfo fi, int flags) {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(real(path))) {
      filler.fill(".");
      filler.fill("..");
      for (Path entry : entries) {
        filler.fill(entry.getFileName().toString());
      }
      return 0;
    } catch (IOException e) {
      return errno(e);
    }
  }

  @Override
  public int mkdir(String path, int mode) {
    try {
      Files.createDirectory(real(path));
      return 0;
    } catch (IOException e) {
      return errno(e);
    }
  }

  @Override
  public int rmdir(String path) {
    return unlink(path);
  }

  @Override
  public int unlink(String path) {
    try {
      Files.delete(real(path));
      return 0;
    } catch (IOException e) {
      return errno(e);
    }
  }

  @Override
  public int rename(String from, String to, int flags) {
    try {
      Files.move(
          real(from),
          real(to),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      return 0;
    } catch (IOException e) {
      return errno(e);
    }
  }

  @Override
  public int truncate(String path, long size, FileInfo fi) {
    try (FileChannel channel = FileChannel.open(real(path), StandardOpenOption.WRITE)) {
      channel.truncate(size);
      return 0;
    } catch (IOException e) {
      return errno(e);
    }
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
    return openChannel(path, fi, StandardOpenOption.CREATE_NEW);
  }

  @Override
  public int open(String path, FileInfo fi) {
    return openChannel(path, fi, StandardOpenOption.READ);
  }

  private int openChannel(String path, FileInfo fi, StandardOpenOption extra) {
    try {
      FileChannel channel =
          FileChannel.open(real(path), StandardOpenOption.READ, StandardOpenOption.WRITE, extra);
      long handle = handles.getAndIncrement();
      open.put(handle, channel);
      fi.setFh(handle);
      return 0;
    } catch (IOException e) {
      return errno(e);
    }
  }

  @Override
  public int read(String path, ByteBuffer buf, long count, long offset, FileInfo fi) {
    try {
      // libfuse's buffer is native memory: the channel reads straight into it.
      ByteBuffer target = buf.slice(0, (int) count);
      FileChannel channel = open.get(fi.getFh());
      int read = 0;
      while (target.hasRemaining()) {
        int n = channel.read(target, offset + read);
        if (n < 0) {
          break;
        }
        read += n;
      }
      return read;
    } catch (IOException e) {
      return errno(e);
    }
  }

  @Override
  public int write(String path, ByteBuffer buf, long count, long offset, FileInfo fi) {
    try {
      ByteBuffer buffer = buf.slice(0, (int) count);
      long position = offset;
      while (buffer.hasRemaining()) {
        position += open.get(fi.getFh()).write(buffer, position);
      }
      return (int) count;
    } catch (IOException e) {
      return errno(e);
    }
  }

  @Override
  public int fsync(String path, int datasync, FileInfo fi) {
    try {
      open.get(fi.getFh()).force(datasync == 0);
      return 0;
    } catch (IOException e) {
      return errno(e);
    }
  }

  @Override
  public int release(String path, FileInfo fi) {
    FileChannel channel = open.remove(fi.getFh());
    try {
      if (channel != null) {
        channel.close();
      }
      return 0;
    } catch (IOException e) {
      return errno(e);
    }
  }
}
