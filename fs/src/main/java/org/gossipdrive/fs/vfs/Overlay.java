package org.gossipdrive.fs.vfs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.gossipdrive.engine.read.VersionReader;

/**
 * What was written to an open file since its last commit, laid over the version it started from:
 * the staged bytes, which ranges they cover, which ranges were punched out, and where a truncate
 * cut the base off. A read of the file is the staged bytes where something was written, zeros where
 * a hole was punched, the base elsewhere, zeros past the cut. Kept apart from {@link OpenFile},
 * which decides when to stage, stream or commit.
 *
 * <p>Zeros that nothing wrote (past the cut, past the base's end, punched, or the base's own holes)
 * are holes: {@link #runAt} tells them apart from data, so a commit stores them as holes.
 */
final class Overlay implements AutoCloseable {
  /** A stretch of the file up to {@code end} that is all data or all hole. */
  record Run(boolean hole, long end) {}

  private final Staging staging;
  private final Extents written = new Extents();

  /** Punched out since the last commit and not written again: they read as zeros. */
  private final Extents punched = new Extents();

  /** Base bytes at or past this offset were cut off by a truncate: they read as zeros. */
  private long baseLimit = Long.MAX_VALUE;

  Overlay(Path stagingDirectory, String name) {
    this.staging = new Staging(stagingDirectory, name);
  }

  void write(long offset, byte[] data, int length) throws IOException {
    staging.write(offset, data, length);
    punched.remove(offset, offset + length);
    written.add(offset, offset + length);
  }

  /** The file shrinks from {@code oldSize} to {@code newSize}: staged and base bytes past it go. */
  void cut(long newSize, long oldSize) throws IOException {
    if (newSize < oldSize) {
      written.trim(newSize);
      punched.trim(newSize);
      staging.truncate(newSize);
      baseLimit = Math.min(baseLimit, newSize);
    }
  }

  /** Bytes {@code start..end} become a hole (fallocate's PUNCH_HOLE); a later write fills it. */
  void punch(long start, long end) {
    written.remove(start, end);
    punched.add(start, end);
  }

  /** The first offset whose bytes may differ from the base's (a write, a punch or a cut). */
  long firstChange() {
    return Math.min(Math.min(written.firstStart(), punched.firstStart()), baseLimit);
  }

  /** Bytes written since the last commit (for the block count of a file being written). */
  long writtenBytes() {
    return written.coveredBytes();
  }

  /**
   * The run of data or hole that starts at {@code position}, cut at {@code limit}: staged bytes and
   * the base's chunks are data; punched ranges, the base's holes and everything past the base (or
   * its cut) are holes. {@code base} is null when the base is empty.
   */
  Run runAt(VersionReader base, long baseSize, long position, long limit) {
    Extents.Segment staged = written.segmentAt(position, limit);
    if (staged.staged()) {
      return new Run(false, staged.end());
    }
    Extents.Segment hole = punched.segmentAt(position, staged.end());
    if (hole.staged()) {
      return new Run(true, hole.end());
    }
    long until = hole.end();
    long available = Math.min(baseLimit, baseSize);
    if (position >= available) {
      return new Run(true, until);
    }
    until = Math.min(until, available);
    long baseHole = base.holeAt(position);
    if (baseHole > 0) {
      return new Run(true, Math.min(until, position + baseHole));
    }
    return new Run(false, Math.min(until, base.extentEnd(position)));
  }

  /** Whether the base was cut away entirely (truncated to 0) since the last commit. */
  boolean baseDropped() {
    return baseLimit == 0;
  }

  /** Whether bytes 0 to {@code size} were all written since the last commit, with no gap. */
  boolean writtenFromStart(long size) {
    if (size == 0) {
      return true;
    }
    Extents.Segment first = written.segmentAt(0, size);
    return first.staged() && first.end() == size;
  }

  /**
   * Reads {@code length} bytes at {@code offset}: staged where written, else from {@code base} (of
   * {@code baseSize} bytes; null when it is empty), zeros where neither has any.
   */
  void read(
      VersionReader base, long baseSize, long offset, byte[] target, int targetOffset, int length)
      throws IOException {
    long position = offset;
    int done = 0;
    while (done < length) {
      Extents.Segment segment = written.segmentAt(position, offset + length);
      int run = (int) (segment.end() - position);
      if (segment.staged()) {
        staging.read(position, target, targetOffset + done, run);
      } else {
        Extents.Segment hole = punched.segmentAt(position, segment.end());
        run = (int) (hole.end() - position);
        if (hole.staged()) {
          Arrays.fill(target, targetOffset + done, targetOffset + done + run, (byte) 0);
        } else {
          readBase(base, baseSize, position, target, targetOffset + done, run);
        }
      }
      done += run;
      position += run;
    }
  }

  private void readBase(
      VersionReader base, long baseSize, long offset, byte[] target, int targetOffset, int length) {
    long available = Math.min(baseLimit, baseSize);
    int fromBase = (int) Math.max(0, Math.min(length, available - offset));
    if (fromBase > 0) {
      fromBase = base.read(offset, target, targetOffset, fromBase);
    }
    Arrays.fill(target, targetOffset + fromBase, targetOffset + length, (byte) 0);
  }

  /** Forgets everything staged (after a commit, or when a stream takes the bytes over). */
  void clear() throws IOException {
    written.clear();
    punched.clear();
    staging.clear();
    baseLimit = Long.MAX_VALUE;
  }

  @Override
  public void close() throws IOException {
    staging.close();
  }
}
