package org.gossipdrive.fs.fuse;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.fs.vfs.Attributes;
import org.gossipdrive.fs.vfs.DriveException;
import org.gossipdrive.fs.vfs.DriveVfs;

/**
 * The names libfuse 3 gives files unlinked while still open ({@code .fuse_hidden…}: it renames such
 * a file instead of unlinking it, and unlinks the hidden name when the last descriptor closes).
 * They are no drive paths: the drive unlinks the file at the rename, and this table only remembers
 * which open file each hidden name stands for, until its own unlink.
 */
final class HiddenNames {
  private static final String PREFIX = ".fuse_hidden";

  private final Map<String, FileId> files = new ConcurrentHashMap<>();

  static boolean isHidden(String path) {
    return path != null && path.substring(path.lastIndexOf('/') + 1).startsWith(PREFIX);
  }

  /** The drive path of {@code path}: none for a hidden name (its handle answers for it). */
  static String shown(String path) {
    return isHidden(path) ? null : path;
  }

  /** libfuse hid the file {@code id}, just unlinked, under {@code name}. */
  void hid(String name, FileId id) {
    files.put(name, id);
  }

  /** The hidden name's last descriptor closed and libfuse unlinked it. */
  void dropped(String name) {
    files.remove(name);
  }

  /** A hidden name's open file (fstat without a handle: libfuse 3 passes none for it). */
  Attributes attributes(String name, DriveVfs vfs) {
    FileId id = files.get(name);
    return (id == null ? Optional.<Attributes>empty() : vfs.attributesOfOpen(id))
        .orElseThrow(() -> new DriveException(DriveException.Reason.NOT_FOUND));
  }
}
