package org.gossipdrive.fs.cli;

import java.nio.file.Path;

/**
 * Turns a path a user typed into a drive path: a file under the mount point (absolute or relative
 * to the current directory), or a drive path already ({@code /docs/report.odt}).
 */
final class DriveArgument {
  private DriveArgument() {}

  static String of(String typed, Path mountPoint) {
    Path mount = mountPoint.toAbsolutePath().normalize();
    Path given = Path.of(typed);
    Path absolute = given.toAbsolutePath().normalize();
    if (absolute.startsWith(mount)) {
      Path inside = mount.relativize(absolute);
      return "/" + inside.toString().replace('\\', '/');
    }
    if (given.isAbsolute()) {
      return given.normalize().toString();
    }
    throw new CliException(
        typed + " is not on the drive; give a path under " + mount + " or a drive path like /x");
  }
}
