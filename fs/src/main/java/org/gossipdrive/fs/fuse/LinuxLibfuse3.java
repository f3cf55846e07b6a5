package org.gossipdrive.fs.fuse;

import java.util.List;
import java.util.Optional;
import org.gossipdrive.platform.fuse.FusePlatform;
import org.gossipdrive.platform.fuse.Libfuse3;

/**
 * Linux's libfuse 3 through jfuse-linux, the default and the only provider that has run (ADR 27,
 * 29). Caller and kernel cache drops through {@link Libfuse3Requests}.
 */
record LinuxLibfuse3() implements MountProvider {
  @Override
  public String displayName() {
    return "libfuse 3";
  }

  @Override
  public boolean tested() {
    return true;
  }

  /** {@code /dev/fuse} and the libfuse 2 probe, as before providers existed. */
  @Override
  public Optional<String> missingPrerequisite() {
    return FusePlatform.current().missingPrerequisite();
  }

  @Override
  public Library load() {
    Libfuse3 libfuse = Libfuse3.load().orElseThrow(() -> new MountException(missingLibrary()));
    return new Library(libfuse.library().toString(), new Libfuse3Requests(libfuse));
  }

  @Override
  public String missingLibrary() {
    return "libfuse 3 is not installed: install it (Debian/Ubuntu: apt-get install -y fuse3) or set"
        + " GOSSIPDRIVE_FUSE=jnr-fuse";
  }

  /**
   * The file system's name in the mount table, the kernel checking permissions from our modes, and
   * the timeouts measured in ADR 29 (peers' changes also arrive through {@code
   * fuse_invalidate_path}).
   */
  @Override
  public List<String> mountOptions(String name) {
    return List.of(
        "-ofsname=gossipdrive-" + MountProvider.optionValue(name) + ",subtype=gossipdrive",
        "-odefault_permissions",
        "-oattr_timeout=1,entry_timeout=1,negative_timeout=0");
  }

  @Override
  public PlatformFlags flags() {
    return PlatformFlags.LINUX;
  }

  @Override
  public boolean listsMounts() {
    return true;
  }
}
