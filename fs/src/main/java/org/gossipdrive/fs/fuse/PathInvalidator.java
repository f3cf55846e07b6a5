package org.gossipdrive.fs.fuse;

/**
 * Tells the kernel to drop what it cached about a drive path (attributes and pages), the way the
 * binding's FUSE library allows. Only valid while the mount runs: closed before the unmount.
 */
interface PathInvalidator extends AutoCloseable {
  /** Drops the kernel's cache of {@code path} ("/a/b"); nothing when it holds none. */
  void invalidate(String path);

  @Override
  void close();
}
