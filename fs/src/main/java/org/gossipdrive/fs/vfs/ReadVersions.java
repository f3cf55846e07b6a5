package org.gossipdrive.fs.vfs;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileVersion;

/**
 * Which version of each path this device last served to a reader, so that a save based on an
 * outdated version is told apart from an ordinary one: if a newer version came from another device
 * after the app read the file, overwriting it would lose that version's work.
 */
final class ReadVersions {
  private static final int PATHS = 100_000;
  private static final int REMEMBERED_SAVES = 100;

  /** A version, by its file and its author's record number. */
  record Seen(FileId id, DeviceId author, long sequence) {
    static Seen of(FileVersion version) {
      return new Seen(version.id(), version.author(), version.authorSequence());
    }
  }

  private final DeviceId self;
  private final Map<String, Seen> served =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Seen> eldest) {
          return size() > PATHS;
        }
      };
  private final Deque<StaleSave> staleSaves = new ArrayDeque<>();

  ReadVersions(DeviceId self) {
    this.self = self;
  }

  synchronized void served(String path, FileVersion version) {
    if (path != null && version.authorSequence() > 0) {
      served.put(path, Seen.of(version));
    }
  }

  /**
   * Whether a save replacing {@code current} at {@code path} would be based on an older version:
   * the reader here saw another version, and the current one came from another device since.
   */
  synchronized boolean outdated(String path, FileVersion current) {
    Seen seen = served.get(path);
    return seen != null && !seen.equals(Seen.of(current)) && !current.author().equals(self);
  }

  synchronized Optional<Seen> seen(String path) {
    return Optional.ofNullable(served.get(path));
  }

  synchronized void keptAsConflict(String path, String keptAs) {
    staleSaves.addLast(new StaleSave(path, keptAs, Instant.now()));
    while (staleSaves.size() > REMEMBERED_SAVES) {
      staleSaves.removeFirst();
    }
  }

  synchronized List<StaleSave> staleSaves() {
    return List.copyOf(staleSaves);
  }
}
