package org.gossipdrive.fs.fuse;

import java.nio.file.Path;
import java.util.List;

/**
 * macOS through jfuse-mac, over macFUSE (a kernel or FSKit extension) or FUSE-T (an NFS server in
 * user space, no extension). UNTESTED: written from jfuse's and both projects' documentation; the
 * project has no Mac.
 *
 * <p>Both speak libfuse 2's high-level API, which jfuse-mac binds. Neither gets the Linux extras
 * (ADR 27): no caller pid, no {@code fuse_invalidate_path} ({@link FuseRequests#anonymous()}).
 *
 * @param library the {@code .dylib} jfuse loads ({@code GOSSIPDRIVE_FUSE_LIBRARY} overrides it)
 */
record MacFuse(Kind kind, Path library) implements MountProvider {
  /** Which macOS FUSE, and where its installer puts its library. */
  enum Kind {
    MACFUSE("macFUSE", "/usr/local/lib/libfuse.2.dylib"),
    FUSE_T("FUSE-T", "/usr/local/lib/libfuse-t.dylib");

    private final String displayName;
    private final String library;

    Kind(String displayName, String library) {
      this.displayName = displayName;
      this.library = library;
    }

    Path library() {
      return Path.of(library);
    }
  }

  /** The drive's name in Finder and on the desktop. */
  static final String VOLUME_NAME = "GossipDrive";

  @Override
  public String displayName() {
    return kind.displayName;
  }

  @Override
  public Library load() {
    return MountProvider.libraryFile(library, this);
  }

  @Override
  public String missingLibrary() {
    return switch (kind) {
      case MACFUSE ->
          "macFUSE is not installed (no "
              + library
              + "): install it from https://macfuse.github.io (Homebrew: brew install --cask"
              + " macfuse) and allow its system extension, or install FUSE-T"
              + " (https://www.fuse-t.org) and set GOSSIPDRIVE_FUSE=fuse-t";
      case FUSE_T ->
          "FUSE-T is not installed (no "
              + library
              + "): install it from https://www.fuse-t.org, or install macFUSE and set"
              + " GOSSIPDRIVE_FUSE=macfuse";
    };
  }

  /**
   * macFUSE: the mount's name and Finder's volume name; the kernel checking permissions from our
   * modes; no AppleDouble {@code ._} files (Finder would write one beside every file, and peers
   * would receive them); {@code hard_remove}, which libfuse 2 can be told (libfuse 3 through jfuse
   * cannot), so an unlinked open file is not renamed to {@code .fuse_hidden}; {@code auto_cache},
   * because nothing can drop the kernel's pages when a peer changes a file, and this at least drops
   * them at an open that finds a new size or mtime; and Linux's timeouts, the only bound here on
   * how long a peer's change shows stale. Apple's own xattrs ({@code com.apple.*}: Finder tags,
   * quarantine) are kept like any other (no {@code noapplexattr}), as the drive keeps xattrs.
   *
   * <p>FUSE-T parses fewer options than macFUSE and unknown ones can fail the mount, so it gets
   * only the volume name.
   */
  @Override
  public List<String> mountOptions(String name) {
    return switch (kind) {
      case MACFUSE ->
          List.of(
              "-ofsname=gossipdrive-" + MountProvider.optionValue(name) + ",volname=" + VOLUME_NAME,
              "-odefault_permissions",
              "-onoappledouble",
              "-ohard_remove",
              "-oauto_cache",
              "-oattr_timeout=1,entry_timeout=1,negative_timeout=0");
      case FUSE_T -> List.of("-ovolname=" + VOLUME_NAME);
    };
  }

  @Override
  public PlatformFlags flags() {
    return PlatformFlags.MACOS;
  }

  @Override
  public boolean listsMounts() {
    return false;
  }
}
