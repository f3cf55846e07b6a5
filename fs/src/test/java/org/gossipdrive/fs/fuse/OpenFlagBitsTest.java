package org.gossipdrive.fs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.gossipdrive.fs.vfs.OpenFlags;
import org.junit.jupiter.api.Test;

/**
 * Each platform's O_EXCL and O_TRUNC, checked against jfuse's own generated {@code fcntl.h} of that
 * platform: a Mac's O_CREAT (0x200) read with Linux's bits would be a truncate.
 */
class OpenFlagBitsTest {
  @Test
  void linuxBitsAreTheOnesTheAdapterAlwaysUsed() {
    assertEquals(new OpenFlagBits(0200, 01000), OpenFlagBits.LINUX);
    assertEquals(new OpenFlags(true, false, true), OpenFlagBits.LINUX.decode(01000 | 1));
    assertEquals(new OpenFlags(false, true, false), OpenFlagBits.LINUX.decode(0200 | 0100));
    assertEquals(new OpenFlags(true, false, false), OpenFlagBits.LINUX.decode(2));
  }

  @Test
  void macBitsAreDarwins() {
    assertEquals(
        new OpenFlagBits(
            org.cryptomator.jfuse.mac.extr.fcntl.fcntl_h.O_EXCL(),
            org.cryptomator.jfuse.mac.extr.fcntl.fcntl_h.O_TRUNC()),
        OpenFlagBits.MACOS);
    int createForWriting = org.cryptomator.jfuse.mac.extr.fcntl.fcntl_h.O_CREAT() | 1;
    assertEquals(
        new OpenFlags(true, false, false),
        OpenFlagBits.MACOS.decode(createForWriting),
        "O_CREAT is no truncate");
    assertEquals(
        new OpenFlags(true, false, true), OpenFlagBits.LINUX.decode(createForWriting), "as it was");
  }

  @Test
  void winFspBitsAreItsOwn() {
    assertEquals(
        new OpenFlagBits(
            org.cryptomator.jfuse.win.extr.fcntl.fcntl_h.O_EXCL(),
            org.cryptomator.jfuse.win.extr.fcntl.fcntl_h.O_TRUNC()),
        OpenFlagBits.WINFSP);
  }
}
