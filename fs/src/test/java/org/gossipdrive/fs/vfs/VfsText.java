package org.gossipdrive.fs.vfs;

import java.nio.charset.StandardCharsets;

/** Reads a small file through the vfs as an app would: open, one read, release. */
final class VfsText {
  private VfsText() {}

  static String read(DriveVfs vfs, Caller caller, String path) throws Exception {
    long handle = vfs.open(caller, path, OpenFlags.READ);
    try {
      byte[] buffer = new byte[1 << 16];
      int count = vfs.read(path, handle, 0, buffer, buffer.length);
      return new String(buffer, 0, count, StandardCharsets.UTF_8);
    } finally {
      vfs.release(handle);
    }
  }
}
