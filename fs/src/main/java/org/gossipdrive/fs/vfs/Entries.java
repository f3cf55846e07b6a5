package org.gossipdrive.fs.vfs;

import java.util.Optional;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.tree.FileType;
import org.gossipdrive.engine.tree.FileVersion;

/** Resolves the drive's paths ("/a/b") to live tree entries, refusing with the POSIX reason. */
final class Entries {
  private final Replica replica;
  private final PendingCreations pending;

  Entries(Replica replica, PendingCreations pending) {
    this.replica = replica;
    this.pending = pending;
  }

  /**
   * The live entry at {@code path}; NOT_FOUND when there is none (or no path: an unlinked file). A
   * file created here and not closed yet is committed first, so the caller finds it in the tree.
   */
  FileVersion existing(String path) {
    if (path == null) {
      throw new DriveException(DriveException.Reason.NOT_FOUND);
    }
    Optional<FileVersion> found = live(path);
    if (found.isEmpty()) {
      // Settled here, or committed meanwhile by the close journal's thread (ADR 36), which
      // commits before it gives the name back: either way the tree has it now.
      settle(path);
      found = live(path);
    }
    return found.orElseThrow(() -> new DriveException(DriveException.Reason.NOT_FOUND));
  }

  /** The live entry at {@code path} in the tree, without settling a pending file. */
  Optional<FileVersion> live(String path) {
    return replica.resolve(path).filter(v -> !v.deleted());
  }

  /** The file created at {@code path} and not committed yet, if there is one. */
  Optional<OpenFile> pendingAt(String path) {
    if (pending.isEmpty()) {
      return Optional.empty(); // most lookups of a missing name: no parent to resolve
    }
    return placeOf(path).flatMap(pending::at);
  }

  /**
   * Commits a pending file at {@code path} (before something else takes or needs the name); returns
   * whether there was one.
   */
  boolean settle(String path) {
    return !pending.isEmpty() && placeOf(path).map(pending::settle).orElse(false);
  }

  /** Commits the pending files in a directory (before it is listed or removed). */
  void settleIn(FileVersion directory) {
    pending.settleIn(directory.id());
  }

  private Optional<PendingCreations.Place> placeOf(String path) {
    if (path == null || path.equals("/")) {
      return Optional.empty();
    }
    DrivePath place = DrivePath.of(path);
    return live(place.parent())
        .filter(FileVersion::isDirectory)
        .map(parent -> new PendingCreations.Place(parent.id(), place.name()));
  }

  FileVersion directory(String path) {
    FileVersion entry = existing(path);
    if (!entry.isDirectory()) {
      throw new DriveException(DriveException.Reason.NOT_A_DIRECTORY);
    }
    return entry;
  }

  static FileVersion regularFile(FileVersion entry) {
    if (entry.isDirectory()) {
      throw new DriveException(DriveException.Reason.IS_A_DIRECTORY);
    }
    if (entry.type() != FileType.FILE) {
      throw new DriveException(DriveException.Reason.INVALID);
    }
    return entry;
  }
}
