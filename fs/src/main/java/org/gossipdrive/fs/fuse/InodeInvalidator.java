package org.gossipdrive.fs.fuse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.gossipdrive.platform.fuse.KernelNotifier;

/**
 * libfuse 2's way: its high-level API hides the kernel's node ids, but without {@code use_ino} it
 * reports the node id as {@code st_ino}, so an {@code lstat} through the mount gives it, and {@code
 * fuse_lowlevel_notify_inval_inode} drops it.
 */
final class InodeInvalidator implements PathInvalidator {
  private final KernelNotifier notifier;
  private final Path mountPoint;

  InodeInvalidator(KernelNotifier notifier, Path mountPoint) {
    this.notifier = notifier;
    this.mountPoint = mountPoint;
  }

  @Override
  public void invalidate(String path) {
    long node;
    try {
      node =
          ((Number)
                  Files.getAttribute(
                      mountPoint.resolve(path.substring(1)), "unix:ino", LinkOption.NOFOLLOW_LINKS))
              .longValue();
    } catch (IOException | RuntimeException e) {
      return; // gone from the kernel's view too: nothing cached under this name
    }
    notifier.invalidateInode(node);
  }

  @Override
  public void close() {
    notifier.close();
  }
}
