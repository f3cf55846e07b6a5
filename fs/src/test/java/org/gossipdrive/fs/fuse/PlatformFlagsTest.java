package org.gossipdrive.fs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.gossipdrive.fs.vfs.OpenFlags;
import org.junit.jupiter.api.Test;

/**
 * Each platform's O_EXCL and O_TRUNC, checked against jfuse's own generated {@code fcntl.h} of that
 * platform: a Mac's O_CREAT (0x200) read with Linux's bits would be a truncate.
 */
class PlatformFlagsTest {
  @Test
  void linuxBitsAreTheOnesTheAdapterAlwaysUsed() {
    assertEquals(new PlatformFlags(0200, 01000, 1, 2), PlatformFlags.LINUX);
    assertEquals(new OpenFlags(true, false, true), PlatformFlags.LINUX.open(01000 | 1));
    assertEquals(new OpenFlags(false, true, false), PlatformFlags.LINUX.open(0200 | 0100));
    assertEquals(new OpenFlags(true, false, false), PlatformFlags.LINUX.open(2));
  }

  @Test
  void macBitsAreDarwins() {
    assertEquals(
        new PlatformFlags(
            org.cryptomator.jfuse.mac.extr.fcntl.fcntl_h.O_EXCL(),
            org.cryptomator.jfuse.mac.extr.fcntl.fcntl_h.O_TRUNC(),
            2,
            4),
        PlatformFlags.MACOS);
    int createForWriting = org.cryptomator.jfuse.mac.extr.fcntl.fcntl_h.O_CREAT() | 1;
    assertEquals(
        new OpenFlags(true, false, false),
        PlatformFlags.MACOS.open(createForWriting),
        "O_CREAT is no truncate");
    assertEquals(
        new OpenFlags(true, false, true), PlatformFlags.LINUX.open(createForWriting), "as it was");
  }

  /**
   * Darwin's XATTR_CREATE (2) is Linux's XATTR_REPLACE: read with Linux's bits it would refuse a
   * new attribute.
   */
  @Test
  void xattrFlagsAreReadWithThePlatformsBits() {
    assertEquals(true, PlatformFlags.MACOS.xattrMustBeNew(2));
    assertEquals(false, PlatformFlags.MACOS.xattrMustExist(2));
    assertEquals(true, PlatformFlags.MACOS.xattrMustExist(4));
    assertEquals(true, PlatformFlags.LINUX.xattrMustBeNew(1));
    assertEquals(true, PlatformFlags.LINUX.xattrMustExist(2));
    assertEquals(false, PlatformFlags.LINUX.xattrMustBeNew(2));
  }

  @Test
  void winFspBitsAreItsOwn() {
    assertEquals(
        new PlatformFlags(
            org.cryptomator.jfuse.win.extr.fcntl.fcntl_h.O_EXCL(),
            org.cryptomator.jfuse.win.extr.fcntl.fcntl_h.O_TRUNC(),
            1,
            2),
        PlatformFlags.WINFSP);
  }
}
