package org.gossipdrive.fs.vfs;

/** A path as FUSE gives it ("/a/b/c"), split into its parent's path and its own name. */
record DrivePath(String parent, String name) {
  static DrivePath of(String path) {
    int slash = path.lastIndexOf('/');
    if (slash < 0) {
      return new DrivePath("/", path);
    }
    return new DrivePath(slash == 0 ? "/" : path.substring(0, slash), path.substring(slash + 1));
  }
}
