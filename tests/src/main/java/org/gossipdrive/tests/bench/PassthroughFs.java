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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
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
  private final Path root;
  private final AtomicLong handles = new AtomicLong(1);
  private final Map<Long, FileChannel> open = new ConcurrentHashMap<>();

  public PassthroughFs(Path root) {
    this.root = root;
  }

  private Path real(String path) {
    return root.resolve(path.substring(1));
  }

  private static int errno(IOException e) {
    if (e instanceof NoSuchFileException) {
      return -ErrorCodes.ENOENT();
    }
    if (e instanceof FileAlreadyExistsException) {
      return -ErrorCodes.EEXIST();
    }
    return -ErrorCodes.EIO();
  }

  @Override
  public int getattr(String path, FileStat stat) {
    try {
      Map<String, Object> a =
          Files.readAttributes(
              real(path),
              "unix:mode,size,uid,gid,lastModifiedTime,nlink",
              LinkOption.NOFOLLOW_LINKS);
      stat.st_mode.set((Integer) a.get("mode"));
      stat.st_size.set((Long) a.get("size"));
      stat.st_uid.set((Integer) a.get("uid"));
      stat.st_gid.set((Integer) a.get("gid"));
      stat.st_nlink.set((Integer) a.get("nlink"));
      long nanos =
          ((FileTime) a.get("lastModifiedTime")).to(java.util.concurrent.TimeUnit.NANOSECONDS);
      stat.st_mtim.tv_sec.set(nanos / 1_000_000_000L);
      stat.st_mtim.tv_nsec.set(nanos % 1_000_000_000L);
      return 0;
    } catch (IOException e) {
      return errno(e);
    }
  }

  @Override
  public int readdir(String path, Pointer buf, FuseFillDir filler, long offset, FuseFileInfo fi) {
    filler.apply(buf, ".", null, 0);
    filler.apply(buf, "..", null, 0);
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(real(path))) {
      for (Path entry : entries) {
        filler.apply(buf, entry.getFileName().toString(), null, 0);
      }
      return 0;
    } catch (IOException e) {
      return errno(e);
    }
  }

  @Override
  public int mkdir(String path, long mode) {
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
  public int rename(String from, String to) {
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
  public int truncate(String path, long size) {
    try (FileChannel channel = FileChannel.open(real(path), StandardOpenOption.WRITE)) {
      channel.truncate(size);
      return 0;
    } catch (IOException e) {
      return errno(e);
    }
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
    return openChannel(path, fi, StandardOpenOption.CREATE_NEW);
  }

  @Override
  public int open(String path, FuseFileInfo fi) {
    return openChannel(path, fi, StandardOpenOption.READ);
  }

  private int openChannel(String path, FuseFileInfo fi, StandardOpenOption extra) {
    try {
      FileChannel channel =
          FileChannel.open(real(path), StandardOpenOption.READ, StandardOpenOption.WRITE, extra);
      long handle = handles.getAndIncrement();
      open.put(handle, channel);
      fi.fh.set(handle);
      return 0;
    } catch (IOException e) {
      return errno(e);
    }
  }

  @Override
  public int read(String path, Pointer buf, long size, long offset, FuseFileInfo fi) {
    try {
      ByteBuffer buffer = ByteBuffer.allocate((int) size);
      int read = Math.max(0, open.get(fi.fh.get()).read(buffer, offset));
      buf.put(0, buffer.array(), 0, read);
      return read;
    } catch (IOException e) {
      return errno(e);
    }
  }

  @Override
  public int write(String path, Pointer buf, long size, long offset, FuseFileInfo fi) {
    try {
      byte[] data = new byte[(int) size];
      buf.get(0, data, 0, data.length);
      ByteBuffer buffer = ByteBuffer.wrap(data);
      long position = offset;
      while (buffer.hasRemaining()) {
        position += open.get(fi.fh.get()).write(buffer, position);
      }
      return (int) size;
    } catch (IOException e) {
      return errno(e);
    }
  }

  @Override
  public int fsync(String path, int datasync, FuseFileInfo fi) {
    try {
      open.get(fi.fh.get()).force(datasync == 0);
      return 0;
    } catch (IOException e) {
      return errno(e);
    }
  }

  @Override
  public int release(String path, FuseFileInfo fi) {
    FileChannel channel = open.remove(fi.fh.get());
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
