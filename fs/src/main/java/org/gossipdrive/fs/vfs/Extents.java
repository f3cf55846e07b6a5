package org.gossipdrive.fs.vfs;

import java.util.Map;
import java.util.TreeMap;

/**
 * Byte ranges of a file, merged and sorted: those written since its last commit, or those punched
 * out of it ({@link Overlay}).
 */
final class Extents {
  /** A run of bytes that are either all written ({@code staged}) or all untouched. */
  record Segment(boolean staged, long end) {}

  private final TreeMap<Long, Long> ranges = new TreeMap<>();

  void add(long start, long end) {
    if (end <= start) {
      return;
    }
    Map.Entry<Long, Long> before = ranges.floorEntry(start);
    if (before != null && before.getValue() >= start) {
      start = before.getKey();
      end = Math.max(end, before.getValue());
    }
    Map.Entry<Long, Long> next = ranges.ceilingEntry(start);
    while (next != null && next.getKey() <= end) {
      end = Math.max(end, next.getValue());
      ranges.remove(next.getKey());
      next = ranges.ceilingEntry(start);
    }
    ranges.put(start, end);
  }

  /** Forgets {@code start..end}, splitting a range that spans either end. */
  void remove(long start, long end) {
    if (end <= start) {
      return;
    }
    Map.Entry<Long, Long> before = ranges.lowerEntry(start);
    if (before != null && before.getValue() > start) {
      ranges.put(before.getKey(), start);
      if (before.getValue() > end) {
        ranges.put(end, before.getValue());
        return;
      }
    }
    Map.Entry<Long, Long> inside = ranges.ceilingEntry(start);
    while (inside != null && inside.getKey() < end) {
      ranges.remove(inside.getKey());
      if (inside.getValue() > end) {
        ranges.put(end, inside.getValue());
      }
      inside = ranges.ceilingEntry(start);
    }
  }

  /** The bytes covered, all ranges together. */
  long coveredBytes() {
    long total = 0;
    for (Map.Entry<Long, Long> range : ranges.entrySet()) {
      total += range.getValue() - range.getKey();
    }
    return total;
  }

  /** Forgets everything at or beyond {@code size}. */
  void trim(long size) {
    ranges.tailMap(size, true).clear();
    Map.Entry<Long, Long> last = ranges.lastEntry();
    if (last != null && last.getValue() > size) {
      ranges.put(last.getKey(), size);
    }
  }

  void clear() {
    ranges.clear();
  }

  /** Where the first written range starts, or {@code Long.MAX_VALUE} if nothing was written. */
  long firstStart() {
    return ranges.isEmpty() ? Long.MAX_VALUE : ranges.firstKey();
  }

  boolean isEmpty() {
    return ranges.isEmpty();
  }

  /** The run starting at {@code position}, cut at {@code limit}. */
  Segment segmentAt(long position, long limit) {
    Map.Entry<Long, Long> before = ranges.floorEntry(position);
    if (before != null && before.getValue() > position) {
      return new Segment(true, Math.min(before.getValue(), limit));
    }
    Long next = ranges.higherKey(position);
    return new Segment(false, next == null ? limit : Math.min(next, limit));
  }
}
