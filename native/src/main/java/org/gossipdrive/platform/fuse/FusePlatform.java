package org.gossipdrive.platform.fuse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The operating system's FUSE implementation, its prerequisites and its mount options. */
public enum FusePlatform {
  LINUX("libfuse 2 (Debian/Ubuntu: apt-get install -y fuse3 libfuse2)"),
  MACOS("macFUSE (https://osxfuse.github.io, untested here)"),
  WINDOWS("WinFsp (https://winfsp.dev, untested here)"),
  OTHER("a FUSE implementation for this system");

  /** libfuse 2 splits writes at 128 KiB: larger values are refused or ignored. */
  public static final int MAX_IO = 128 * 1024;

  private final String requirement;

  FusePlatform(String requirement) {
    this.requirement = requirement;
  }

  public static FusePlatform current() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (os.contains("linux")) {
      return LINUX;
    }
    if (os.contains("mac")) {
      return MACOS;
    }
    if (os.contains("windows")) {
      return WINDOWS;
    }
    return OTHER;
  }

  /** What to install, for error messages. */
  public String requirement() {
    return requirement;
  }

  /**
   * Why a mount cannot work here, as one line naming what to install, or empty when the FUSE
   * library and device are present.
   */
  public Optional<String> missingPrerequisite() {
    if (this == LINUX && !Files.exists(Path.of("/dev/fuse"))) {
      return Optional.of(
          "/dev/fuse is missing: load the fuse kernel module (modprobe fuse) or, in a container,"
              + " pass the device through");
    }
    try {
      FuseLibraryProbe.load();
      return Optional.empty();
    } catch (LinkageError | RuntimeException e) {
      return Optional.of("the FUSE library is not installed: install " + requirement);
    }
  }

  /**
   * Mount options chosen by measurement (docs/benchmarks.md): 128 KiB requests instead of 4 KiB,
   * the kernel's page cache of a file dropped at every open (not {@code auto_cache}: a save renamed
   * in from a peer replaces the file under a name the kernel still maps to the old inode, and its
   * old pages were served to a new open), and short entry/attribute timeouts so versions arriving
   * from peers show within a second. On Linux, {@code atomic_o_trunc} hands us O_TRUNC with the
   * open instead of a separate truncate by path: an overwrite is one version, and a save redirected
   * to a conflict copy truncates the copy, not the document.
   */
  public List<String> mountOptions(String fsName) {
    List<String> options = new ArrayList<>();
    options.add("-o");
    StringBuilder o = new StringBuilder();
    o.append("fsname=").append(fsName.replace(',', '_'));
    if (this == LINUX) {
      o.append(",subtype=gossipdrive,big_writes,max_write=")
          .append(MAX_IO)
          .append(",max_read=")
          .append(MAX_IO)
          .append(",max_readahead=")
          .append(4 * MAX_IO)
          .append(",hard_remove,default_permissions,atomic_o_trunc")
          .append(",attr_timeout=1,entry_timeout=1,negative_timeout=0");
    } else if (this == MACOS) {
      o.append(",auto_cache,hard_remove,default_permissions,noappledouble");
    }
    options.add(o.toString());
    return options;
  }
}
