package org.gossipdrive.platform.fuse;

import ru.serce.jnrfuse.FuseStubFS;

/** Loads the FUSE library the way the mount will, so a missing one is reported before mounting. */
final class FuseLibraryProbe {
  private FuseLibraryProbe() {}

  static void load() {
    // jnr-fuse binds the library in the file system's constructor; building one proves it loads.
    new FuseStubFS();
  }
}
