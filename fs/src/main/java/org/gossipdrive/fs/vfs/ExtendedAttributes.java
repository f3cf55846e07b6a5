package org.gossipdrive.fs.vfs;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.lock.Lock;
import org.gossipdrive.engine.tree.FileVersion;

/**
 * Extended attributes: {@code user.*} ones are stored in the version and replicate; other
 * namespaces are refused (the kernel asks {@code security.capability} on every write, answered
 * without touching the store). {@code user.gossipdrive.lock} is computed: it names the device
 * holding the document's lock, and is read by name only.
 */
final class ExtendedAttributes {
  static final String USER_NAMESPACE = "user.";

  /** Names the device holding a document's lock (read-only, computed). */
  static final String LOCK_XATTR = "user.gossipdrive.lock";

  private final Replica replica;
  private final Entries entries;
  private final DocumentLocks locks;

  ExtendedAttributes(Replica replica, Entries entries, DocumentLocks locks) {
    this.replica = replica;
    this.entries = entries;
    this.locks = locks;
  }

  /**
   * @param create fail with EXISTS if the attribute exists ({@code XATTR_CREATE})
   * @param replace fail with NO_ATTRIBUTE if it does not ({@code XATTR_REPLACE})
   */
  void set(String path, String name, byte[] value, boolean create, boolean replace) {
    requireWritable(name);
    if (value.length > FileVersion.MAX_XATTR_VALUE) {
      throw new DriveException(DriveException.Reason.TOO_BIG);
    }
    FileVersion entry = entries.existing(path);
    locks.requireNotHeldElsewhere(path);
    SortedMap<String, byte[]> xattrs = new TreeMap<>(entry.xattrs());
    boolean exists = xattrs.containsKey(name);
    if (create && exists) {
      throw new DriveException(DriveException.Reason.EXISTS);
    }
    if (replace && !exists) {
      throw new DriveException(DriveException.Reason.NO_ATTRIBUTE);
    }
    if (!exists && xattrs.size() >= FileVersion.MAX_XATTRS) {
      throw new DriveException(DriveException.Reason.NO_SPACE);
    }
    xattrs.put(name, value.clone());
    replica.setAttributes(entry.id(), null, null, xattrs);
  }

  byte[] get(String path, String name) {
    if (!name.startsWith(USER_NAMESPACE)) {
      throw new DriveException(DriveException.Reason.NO_ATTRIBUTE);
    }
    FileVersion entry = entries.existing(path);
    byte[] bytes =
        name.equals(LOCK_XATTR)
            ? locks.lockFor(path).map(ExtendedAttributes::describe).orElse(null)
            : entry.xattrs().get(name);
    if (bytes == null) {
      throw new DriveException(DriveException.Reason.NO_ATTRIBUTE);
    }
    return bytes;
  }

  /**
   * The stored {@code user.*} names. The lock attribute is read by name only: listed, tools copying
   * attributes (cp -a, rsync -X) would try to write it elsewhere.
   */
  List<String> list(String path) {
    return entries.existing(path).xattrs().keySet().stream()
        .filter(n -> n.startsWith(USER_NAMESPACE))
        .toList();
  }

  void remove(String path, String name) {
    requireWritable(name);
    FileVersion entry = entries.existing(path);
    locks.requireNotHeldElsewhere(path);
    if (!entry.xattrs().containsKey(name)) {
      throw new DriveException(DriveException.Reason.NO_ATTRIBUTE);
    }
    SortedMap<String, byte[]> xattrs = new TreeMap<>(entry.xattrs());
    xattrs.remove(name);
    replica.setAttributes(entry.id(), null, null, xattrs);
  }

  private static void requireWritable(String name) {
    if (!name.startsWith(USER_NAMESPACE)) {
      throw new DriveException(DriveException.Reason.NOT_SUPPORTED);
    }
    if (name.equals(LOCK_XATTR)) {
      throw new DriveException(DriveException.Reason.NOT_PERMITTED);
    }
  }

  private static byte[] describe(Lock lock) {
    return (lock.holderName() + " since " + lock.since()).getBytes(StandardCharsets.UTF_8);
  }
}
