package org.gossipdrive.fs.vfs;

import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.tree.FileType;
import org.gossipdrive.engine.tree.FileVersion;

/** Resolves the drive's paths ("/a/b") to live tree entries, refusing with the POSIX reason. */
final class Entries {
  private final Replica replica;

  Entries(Replica replica) {
    this.replica = replica;
  }

  /**
   * The live entry at {@code path}; NOT_FOUND when there is none (or no path: an unlinked file).
   */
  FileVersion existing(String path) {
    if (path == null) {
      throw new DriveException(DriveException.Reason.NOT_FOUND);
    }
    return replica
        .resolve(path)
        .filter(v -> !v.deleted())
        .orElseThrow(() -> new DriveException(DriveException.Reason.NOT_FOUND));
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
