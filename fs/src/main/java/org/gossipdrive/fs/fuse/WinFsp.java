package org.gossipdrive.fs.fuse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Windows through jfuse-win over WinFsp's FUSE 3 layer, mounted as a drive letter ({@code G:}) or
 * at a directory WinFsp creates. UNTESTED: written from jfuse's and WinFsp's documentation; the
 * project has no Windows machine.
 *
 * <p>No caller pid and no kernel cache drops ({@link FuseRequests#anonymous()}): WinFsp caches file
 * information itself for {@code FileInfoTimeout}, which bounds how long a peer's change shows
 * stale.
 */
final class WinFsp implements MountProvider {
  /** A drive letter, with or without its root separator: "G:", "G:\" or "G:/". */
  private static final Pattern DRIVE_LETTER = Pattern.compile("[A-Za-z]:[\\\\/]?");

  /** The drive's label in Explorer, and the file system name WinFsp reports (as "FUSE-..."). */
  static final String VOLUME_NAME = "GossipDrive";

  private final Path library;
  private final Predicate<String> driveInUse;

  /**
   * @param library the WinFsp DLL jfuse loads
   * @param driveInUse whether a drive letter ("G:") is taken already
   */
  WinFsp(Path library, Predicate<String> driveInUse) {
    this.library = library;
    this.driveInUse = driveInUse;
  }

  /** Where WinFsp's installer puts its DLL for this architecture (jfuse-win's default too). */
  static Path defaultLibrary(String osArch) {
    String arch = osArch.toLowerCase(Locale.ROOT);
    String dll =
        arch.contains("aarch64") || arch.contains("arm64") ? "winfsp-a64.dll" : "winfsp-x64.dll";
    return Path.of("C:\\Program Files (x86)\\WinFsp\\bin\\" + dll);
  }

  /** Whether {@code letter} ("G:") names a drive Windows already has. */
  static boolean driveInUse(String letter) {
    return Files.exists(Path.of(letter + "\\"));
  }

  Path library() {
    return library;
  }

  @Override
  public String displayName() {
    return "WinFsp";
  }

  @Override
  public Library load() {
    return MountProvider.libraryFile(library, this);
  }

  @Override
  public String missingLibrary() {
    return "WinFsp is not installed (no "
        + library
        + "): install it from https://winfsp.dev/rel/ (the default components are enough), or set"
        + " GOSSIPDRIVE_FUSE_LIBRARY to its winfsp-x64.dll";
  }

  /**
   * Every file owned by the user who mounted ({@code uid=-1,gid=-1}: Windows has no uids, WinFsp
   * maps them to the mounting user's SID); the label and file system name Explorer shows; and file
   * and directory information cached for 1 s, as {@code attr_timeout=1} on Linux (WinFsp counts in
   * milliseconds).
   */
  @Override
  public List<String> mountOptions(String name) {
    return List.of(
        "-ouid=-1,gid=-1",
        "-ovolname=" + VOLUME_NAME,
        "-oFileSystemName=" + VOLUME_NAME,
        "-oFileInfoTimeout=1000,DirInfoTimeout=1000");
  }

  @Override
  public PlatformFlags flags() {
    return PlatformFlags.WINFSP;
  }

  /** A drive letter stays as given, "G:" (never resolved against a current directory). */
  @Override
  public Path mountPoint(Path requested) {
    if (isDriveLetter(requested)) {
      return Path.of(requested.toString().substring(0, 2).toUpperCase(Locale.ROOT));
    }
    return requested.toAbsolutePath().normalize();
  }

  static boolean isDriveLetter(Path point) {
    return DRIVE_LETTER.matcher(point.toString()).matches();
  }

  /**
   * A free drive letter, or a directory WinFsp can create: absent under an existing parent, or
   * empty (it is removed just before mounting, see {@link #prepare}). A drive letter is no
   * directory, so Linux's empty-directory rule cannot apply.
   */
  @Override
  public void requireUsable(Path mountPoint) throws IOException {
    Path point = mountPoint(mountPoint);
    if (isDriveLetter(point)) {
      if (driveInUse.test(point.toString())) {
        throw new MountException(
            "drive " + point + " is already in use: choose a free letter (--mount G:)");
      }
      return;
    }
    if (Files.isDirectory(point)) {
      try (var entries = Files.list(point)) {
        if (entries.findAny().isPresent()) {
          throw new MountException("mount point " + point + " is not empty");
        }
      }
      return;
    }
    if (Files.exists(point)) {
      throw new MountException("mount point " + point + " is not a directory");
    }
    Path parent = point.getParent();
    if (parent == null) {
      throw new MountException(
          "mount point " + point + " is neither a drive letter (G:) nor a directory path");
    }
    if (!Files.isDirectory(parent)) {
      throw new MountException("mount point " + point + " needs its parent: create " + parent);
    }
  }

  /** WinFsp mounts at a directory only by creating it: an empty one is removed first. */
  @Override
  public void prepare(Path mountPoint) throws IOException {
    if (!isDriveLetter(mountPoint) && Files.isDirectory(mountPoint)) {
      Files.delete(mountPoint);
    }
  }

  /** Windows has no mount table we read: jfuse's mount waits until the drive answers. */
  @Override
  public boolean listsMounts() {
    return false;
  }

  @Override
  public String toString() {
    return "WinFsp[" + library + "]";
  }
}
