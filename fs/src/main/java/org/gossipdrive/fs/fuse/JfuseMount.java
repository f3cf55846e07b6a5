package org.gossipdrive.fs.fuse;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import org.cryptomator.jfuse.api.Fuse;
import org.cryptomator.jfuse.api.FuseMountFailedException;
import org.gossipdrive.fs.vfs.DriveVfs;

/**
 * Mounts the drive through jfuse with a {@link MountProvider}: the provider names the library and
 * the options, the adapter is the same everywhere. jfuse finds its platform's implementation
 * (jfuse-linux-*, jfuse-mac, jfuse-win, all pulled in by {@code org.cryptomator:jfuse}) through
 * {@link java.util.ServiceLoader}, by the running system.
 */
final class JfuseMount {
  private JfuseMount() {}

  /**
   * Mounts {@code vfs} at {@code point} (already checked by the provider) and returns how to stop
   * it: the kernel cache drops first, then the unmount.
   *
   * @throws MountException when the library is missing or the mount fails
   */
  static AutoCloseable mount(
      MountProvider provider, DriveVfs vfs, Path point, Path ownerDirectory, String name) {
    MountProvider.Library library = provider.load();
    var builder = Fuse.builder();
    builder.setLibraryPath(library.path());
    java.util.Optional<JfuseLinuxExtras> extras =
        provider instanceof LinuxLibfuse3 ? JfuseLinuxExtras.find() : java.util.Optional.empty();
    JfuseAdapter adapter =
        new JfuseAdapter(
            vfs, builder.errno(), library.requests(), provider.flags(), ownerDirectory, extras);
    Fuse fuse;
    try {
      fuse = builder.build(adapter);
    } catch (UnsatisfiedLinkError e) {
      // The file exists but does not load (wrong architecture, a broken install).
      throw new MountException(provider.missingLibrary() + " (" + e.getMessage() + ")");
    }
    Arena stubs = Arena.ofShared();
    extras.ifPresent(x -> bindExtras(x, fuse, adapter, stubs));
    try {
      fuse.mount("gossipdrive", point, provider.mountOptions(name).toArray(String[]::new));
    } catch (FuseMountFailedException e) {
      stubs.close();
      throw new MountException("cannot mount at " + point + ": " + e.getMessage());
    }
    return () -> {
      adapter.kernelCache().close();
      fuse.close();
      stubs.close(); // after the unmount: no upcall can come any more
    };
  }

  private static void bindExtras(
      JfuseLinuxExtras extras, Fuse fuse, JfuseAdapter adapter, Arena stubs) {
    try {
      extras.bind(
          fuse,
          new JfuseLinuxExtras.Operations() {
            @Override
            public int fallocate(String path, int mode, long offset, long length, long handle) {
              return adapter.fallocate(path, mode, offset, length, handle);
            }

            @Override
            public long lseek(String path, long offset, int whence, long handle) {
              return adapter.lseek(path, offset, whence, handle);
            }
          },
          stubs);
    } catch (ReflectiveOperationException | RuntimeException e) {
      System.getLogger(JfuseMount.class.getName())
          .log(
              System.Logger.Level.WARNING,
              "fallocate and SEEK_HOLE stay unsupported: {0}",
              e.toString());
    }
  }
}
