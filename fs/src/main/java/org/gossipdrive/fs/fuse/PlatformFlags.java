package org.gossipdrive.fs.fuse;

import org.gossipdrive.fs.vfs.OpenFlags;

/**
 * Where the FUSE library keeps the flag bits the adapter reads: O_EXCL and O_TRUNC of {@code
 * open(2)}, XATTR_CREATE and XATTR_REPLACE of {@code setxattr(2)}. They differ between Linux, macOS
 * and WinFsp (ADR 31). Linux's O_TRUNC is macOS's O_CREAT, so reading a Mac's flags with Linux's
 * bits would truncate files on open; Linux's XATTR_REPLACE is macOS's XATTR_CREATE. The open bits
 * are those of jfuse's own {@code fcntl.h} bindings for each platform; the access mode is the low
 * two bits everywhere.
 */
record PlatformFlags(int exclusive, int truncate, int xattrCreate, int xattrReplace) {
  private static final int O_ACCMODE = 3;

  /** Linux (glibc): O_EXCL 0200, O_TRUNC 01000; XATTR_CREATE 1, XATTR_REPLACE 2. */
  static final PlatformFlags LINUX = new PlatformFlags(0200, 01000, 1, 2);

  /**
   * macOS (macFUSE and FUSE-T pass Darwin's values): O_EXCL 0x800, O_TRUNC 0x400; {@code
   * sys/xattr.h}: XATTR_CREATE 2, XATTR_REPLACE 4.
   */
  static final PlatformFlags MACOS = new PlatformFlags(0x800, 0x400, 2, 4);

  /**
   * WinFsp's FUSE layer: its own fcntl values (O_EXCL 0x400, O_TRUNC 0x200), Linux's xattr ones.
   */
  static final PlatformFlags WINFSP = new PlatformFlags(0x400, 0x200, 1, 2);

  /** The drive's view of {@code open} flags: opened for writing, exclusive create, truncate. */
  OpenFlags open(int flags) {
    return new OpenFlags(
        (flags & O_ACCMODE) != 0, (flags & exclusive) != 0, (flags & truncate) != 0);
  }

  /** Whether {@code setxattr} flags ask that the attribute not exist yet. */
  boolean xattrMustBeNew(int flags) {
    return (flags & xattrCreate) != 0;
  }

  /** Whether {@code setxattr} flags ask that the attribute exist already. */
  boolean xattrMustExist(int flags) {
    return (flags & xattrReplace) != 0;
  }
}
