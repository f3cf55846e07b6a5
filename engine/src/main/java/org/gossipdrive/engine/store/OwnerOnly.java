package org.gossipdrive.engine.store;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Directories and files only their owner can open: what the drive stores is readable by its owner
 * only (invariant 7, ADR 32). On a file system without POSIX modes (Windows) the user profile's
 * ACLs are all there is, and these create plain entries.
 */
public final class OwnerOnly {
  public static final Set<PosixFilePermission> DIRECTORY =
      PosixFilePermissions.fromString("rwx------");
  public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private OwnerOnly() {}

  /**
   * Creates {@code directory} and every missing parent 0700. An existing directory keeps its mode:
   * {@code up} checks the home as a whole and tightens it.
   */
  public static Path createDirectories(Path directory) throws IOException {
    if (!POSIX) {
      return Files.createDirectories(directory);
    }
    return Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(DIRECTORY));
  }

  /** The attributes that create a file 0600 ({@code Files.createFile}, {@code createTempFile}). */
  public static FileAttribute<?>[] fileAttributes() {
    return POSIX
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)}
        : new FileAttribute<?>[0];
  }

  /** Whether this platform's files carry POSIX modes at all. */
  public static boolean posix() {
    return POSIX;
  }
}
