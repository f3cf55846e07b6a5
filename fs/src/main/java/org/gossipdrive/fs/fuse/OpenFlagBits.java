package org.gossipdrive.fs.fuse;

import org.gossipdrive.fs.vfs.OpenFlags;

/**
 * Where the FUSE library's {@code open(2)} flags keep O_EXCL and O_TRUNC: the bits differ between
 * Linux, macOS and WinFsp (ADR 26), and Linux's O_TRUNC is macOS's O_CREAT, so reading a Mac's
 * flags with Linux's bits would truncate files on open. The values are those of jfuse's own {@code
 * fcntl.h} bindings for each platform. The access mode is the low two bits everywhere.
 */
record OpenFlagBits(int exclusive, int truncate) {
  private static final int O_ACCMODE = 3;

  /** Linux (glibc, all architectures jfuse supports): O_EXCL 0200, O_TRUNC 01000. */
  static final OpenFlagBits LINUX = new OpenFlagBits(0200, 01000);

  /** macOS (macFUSE and FUSE-T pass Darwin's values): O_EXCL 0x800, O_TRUNC 0x400. */
  static final OpenFlagBits MACOS = new OpenFlagBits(0x800, 0x400);

  /** WinFsp's FUSE layer (its own fcntl values): O_EXCL 0x400, O_TRUNC 0x200. */
  static final OpenFlagBits WINFSP = new OpenFlagBits(0x400, 0x200);

  /** The drive's view of {@code flags}: opened for writing, exclusive create, truncate. */
  OpenFlags decode(int flags) {
    return new OpenFlags(
        (flags & O_ACCMODE) != 0, (flags & exclusive) != 0, (flags & truncate) != 0);
  }
}
