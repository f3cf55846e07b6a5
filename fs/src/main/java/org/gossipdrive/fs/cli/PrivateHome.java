package org.gossipdrive.fs.cli;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import org.gossipdrive.engine.store.OwnerOnly;

/**
 * Makes a home readable by its owner only before anything is opened in it (invariant 7, ADR 32):
 * the home becomes 0700, and every entry under it loses its group and other bits. A home made by an
 * older version, or opened up by hand, is tightened; one that cannot be is refused.
 */
final class PrivateHome {
  private PrivateHome() {}

  /**
   * Creates {@code home} 0700, or makes an existing one 0700: once it is, nothing under it is
   * reachable by others. Throws a one-line {@link CliException} if it cannot.
   */
  static void close(Path home) {
    if (!OwnerOnly.posix()) {
      return;
    }
    try {
      OwnerOnly.createDirectories(home);
      restrict(home.toRealPath(), true);
    } catch (IOException e) {
      throw new CliException(
          "cannot make "
              + home
              + " private ("
              + describe(home)
              + "): "
              + reason(e)
              + "; run: chmod 700 "
              + home);
    }
  }

  /**
   * Closes the home, then takes the group and other bits from every entry under it except the mount
   * point (a mounted drive answers for its own modes); returns how many entries it changed.
   */
  static int tighten(Path home, Path mountPoint) {
    close(home);
    if (!OwnerOnly.posix()) {
      return 0;
    }
    Path skip = comparable(mountPoint);
    int[] changed = {0};
    try {
      Files.walkFileTree(
          home.toRealPath(),
          EnumSet.noneOf(java.nio.file.FileVisitOption.class),
          Integer.MAX_VALUE,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes)
                throws IOException {
              if (comparable(dir).equals(skip)) {
                return FileVisitResult.SKIP_SUBTREE;
              }
              if (restrict(dir, true)) {
                changed[0]++;
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
                throws IOException {
              // A symbolic link's own mode means nothing; what it points to is not the home's.
              if (!attributes.isSymbolicLink() && restrict(file, false)) {
                changed[0]++;
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              // Gone since it was listed, or a dead mount: nothing of ours to tighten there.
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new CliException("cannot make " + home + " private: " + reason(e));
    }
    return changed[0];
  }

  /**
   * A directory becomes 0700 (its owner must be able to enter it); a file keeps only its owner's
   * bits. True if the mode changed.
   */
  private static boolean restrict(Path path, boolean directory) throws IOException {
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
    Set<PosixFilePermission> tight = EnumSet.noneOf(PosixFilePermission.class);
    if (directory) {
      tight.addAll(OwnerOnly.DIRECTORY);
    } else {
      mode.stream().filter(bit -> bit.name().startsWith("OWNER_")).forEach(tight::add);
    }
    if (tight.equals(mode)) {
      return false;
    }
    Files.setPosixFilePermissions(path, tight);
    return true;
  }

  /** The real path where there is one (a dead mount has none), to compare paths. */
  private static Path comparable(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return path.toAbsolutePath().normalize();
    }
  }

  private static String describe(Path path) {
    try {
      return "owner "
          + Files.getOwner(path).getName()
          + ", mode "
          + PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    } catch (IOException e) {
      return "unreadable";
    }
  }

  private static String reason(IOException e) {
    if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    return e.getMessage();
  }
}
