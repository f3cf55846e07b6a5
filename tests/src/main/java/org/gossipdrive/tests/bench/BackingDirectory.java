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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The directory a bare passthrough serves, with the open-file table: what both bindings'
 * passthroughs ({@link PassthroughFs}, {@link JfusePassthroughFs}) do, so each of them only
 * translates its binding's calls and errors.
 */
final class BackingDirectory {
  /** What a failed call maps to: the few errors a passthrough tells apart. */
  enum Failure {
    NOT_FOUND,
    EXISTS,
    OTHER;

    static Failure of(IOException e) {
      if (e instanceof NoSuchFileException) {
        return NOT_FOUND;
      }
      return e instanceof FileAlreadyExistsException ? EXISTS : OTHER;
    }
  }

  /** What {@code stat} shows of an entry. */
  record Attributes(int mode, long size, int uid, int gid, int linkCount, Instant mtime) {}

  private final Path root;
  private final AtomicLong handles = new AtomicLong(1);
  private final Map<Long, FileChannel> open = new ConcurrentHashMap<>();

  BackingDirectory(Path root) {
    this.root = root;
  }

  private Path real(String path) {
    return root.resolve(path.substring(1));
  }

  Attributes attributes(String path) throws IOException {
    Map<String, Object> a =
        Files.readAttributes(
            real(path), "unix:mode,size,uid,gid,lastModifiedTime,nlink", LinkOption.NOFOLLOW_LINKS);
    return new Attributes(
        (Integer) a.get("mode"),
        (Long) a.get("size"),
        (Integer) a.get("uid"),
        (Integer) a.get("gid"),
        (Integer) a.get("nlink"),
        ((FileTime) a.get("lastModifiedTime")).toInstant());
  }

  List<String> names(String path) throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(real(path))) {
      entries.forEach(entry -> names.add(entry.getFileName().toString()));
    }
    return names;
  }

  void mkdir(String path) throws IOException {
    Files.createDirectory(real(path));
  }

  void delete(String path) throws IOException {
    Files.delete(real(path));
  }

  void rename(String from, String to) throws IOException {
    Files.move(
        real(from), real(to), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  void truncate(String path, long size) throws IOException {
    try (FileChannel channel = FileChannel.open(real(path), StandardOpenOption.WRITE)) {
      channel.truncate(size);
    }
  }

  /** Opens {@code path} for reading and writing, creating it first when asked; returns a handle. */
  long open(String path, boolean create) throws IOException {
    FileChannel channel =
        FileChannel.open(
            real(path),
            StandardOpenOption.READ,
            StandardOpenOption.WRITE,
            create ? StandardOpenOption.CREATE_NEW : StandardOpenOption.READ);
    long handle = handles.getAndIncrement();
    open.put(handle, channel);
    return handle;
  }

  /** Fills {@code target} from {@code offset}, short only at the end of the file. */
  int read(long handle, ByteBuffer target, long offset) throws IOException {
    FileChannel channel = open.get(handle);
    int read = 0;
    while (target.hasRemaining()) {
      int n = channel.read(target, offset + read);
      if (n < 0) {
        break;
      }
      read += n;
    }
    return read;
  }

  void write(long handle, ByteBuffer source, long offset) throws IOException {
    FileChannel channel = open.get(handle);
    long position = offset;
    while (source.hasRemaining()) {
      position += channel.write(source, position);
    }
  }

  void fsync(long handle, boolean metadata) throws IOException {
    open.get(handle).force(metadata);
  }

  void release(long handle) throws IOException {
    FileChannel channel = open.remove(handle);
    if (channel != null) {
      channel.close();
    }
  }
}
