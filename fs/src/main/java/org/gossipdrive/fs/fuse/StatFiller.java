package org.gossipdrive.fs.fuse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gossipdrive.fs.vfs.Attributes;
import ru.serce.jnrfuse.struct.FileStat;

/**
 * Fills {@code stat} for a tree entry. A drive has one owner, the user running the daemon: every
 * entry shows as theirs on this machine, whoever wrote it elsewhere.
 */
final class StatFiller {
  private final long uid;
  private final long gid;

  private StatFiller(long uid, long gid) {
    this.uid = uid;
    this.gid = gid;
  }

  /** Owner and group of {@code directory} (the daemon's home), falling back to root. */
  static StatFiller ownedLike(Path directory) {
    try {
      return new StatFiller(
          ((Number) Files.getAttribute(directory, "unix:uid")).longValue(),
          ((Number) Files.getAttribute(directory, "unix:gid")).longValue());
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return new StatFiller(0, 0);
    }
  }

  long uid() {
    return uid;
  }

  long gid() {
    return gid;
  }

  void fill(FileStat stat, Attributes attributes) {
    int type =
        switch (attributes.type()) {
          case DIRECTORY -> FileStat.S_IFDIR;
          case SYMLINK -> FileStat.S_IFLNK;
          default -> FileStat.S_IFREG;
        };
    stat.st_mode.set(type | attributes.permissions());
    stat.st_nlink.set(attributes.linkCount());
    stat.st_uid.set(uid);
    stat.st_gid.set(gid);
    stat.st_size.set(attributes.size());
    stat.st_blksize.set(128 * 1024);
    stat.st_blocks.set((attributes.allocatedBytes() + 511) / 512);
    long seconds = Math.floorDiv(attributes.mtimeNanos(), 1_000_000_000L);
    long nanos = Math.floorMod(attributes.mtimeNanos(), 1_000_000_000L);
    for (var time :
        new ru.serce.jnrfuse.struct.Timespec[] {stat.st_mtim, stat.st_ctim, stat.st_atim}) {
      time.tv_sec.set(seconds);
      time.tv_nsec.set(nanos);
    }
  }
}
