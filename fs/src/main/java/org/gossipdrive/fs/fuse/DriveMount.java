package org.gossipdrive.fs.fuse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.fs.vfs.DriveServices;
import org.gossipdrive.fs.vfs.DriveVfs;
import org.gossipdrive.platform.fuse.FusePlatform;
import org.gossipdrive.platform.fuse.StaleMounts;

/**
 * The replica mounted at a directory. Closing commits every open file's staged writes before the
 * unmount, so an unmount or a SIGTERM loses nothing that was written.
 */
public final class DriveMount implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(DriveMount.class.getName());

  /**
   * The FUSE binding: jfuse (libfuse 3) wherever libfuse 3 is installed, jnr-fuse (libfuse 2) as
   * the fallback (ADR 27). On macOS and Windows jfuse with that system's {@link MountProvider} (ADR
   * 31, untested). {@code GOSSIPDRIVE_FUSE=jnr-fuse} or {@code jfuse} forces one.
   */
  public enum Binding {
    JNR_FUSE,
    JFUSE;

    /**
     * What {@code GOSSIPDRIVE_FUSE} asks for; else on Linux jfuse when libfuse 3 loads, else
     * jnr-fuse; elsewhere jfuse ({@code GOSSIPDRIVE_FUSE=macfuse}, {@code fuse-t} or {@code winfsp}
     * name a provider of it).
     */
    public static Binding chosen() {
      String name = System.getenv().getOrDefault(MountProvider.SELECT, "");
      if (name.equalsIgnoreCase("jnr-fuse")) {
        return JNR_FUSE;
      }
      if (name.equalsIgnoreCase("jfuse")) {
        return JFUSE;
      }
      if (!(MountProvider.current() instanceof LinuxLibfuse3)) {
        return JFUSE;
      }
      return org.gossipdrive.platform.fuse.Libfuse3.load().isPresent() ? JFUSE : JNR_FUSE;
    }
  }

  /** Stops a binding's mount: the kernel notifications first, then the unmount. */
  @FunctionalInterface
  private interface Unmount {
    void run() throws Exception;
  }

  private final DriveVfs vfs;
  private final Unmount unmount;
  private final Path mountPoint;
  private boolean closed;

  private DriveMount(DriveVfs vfs, Unmount unmount, Path mountPoint) {
    this.vfs = vfs;
    this.unmount = unmount;
    this.mountPoint = mountPoint;
  }

  /**
   * Mounts {@code replica} at {@code mountPoint}, first removing a mount a crashed daemon left
   * there.
   *
   * @throws MountException with a one-line reason when FUSE is missing or the point is unusable
   */
  public static DriveMount mount(
      Replica replica, Path mountPoint, Path stagingDirectory, String name) throws IOException {
    return mount(
        replica,
        mountPoint,
        stagingDirectory,
        name,
        DriveServices.standalone(replica.options().device(), name));
  }

  /** Mounts with the given lock authority and push hold (a daemon with peers). */
  public static DriveMount mount(
      Replica replica, Path mountPoint, Path stagingDirectory, String name, DriveServices services)
      throws IOException {
    return mount(replica, mountPoint, stagingDirectory, name, services, Binding.chosen());
  }

  /** Mounts through the given FUSE binding. */
  public static DriveMount mount(
      Replica replica,
      Path mountPoint,
      Path stagingDirectory,
      String name,
      DriveServices services,
      Binding binding)
      throws IOException {
    FusePlatform platform = FusePlatform.current();
    MountProvider provider = MountProvider.current();
    (binding == Binding.JFUSE ? provider.missingPrerequisite() : platform.missingPrerequisite())
        .ifPresent(
            reason -> {
              throw new MountException(reason);
            });
    if (binding == Binding.JFUSE && !provider.tested()) {
      LOG.log(
          System.Logger.Level.WARNING,
          "mounting through " + provider.displayName() + ", which the project has never tested");
    }
    Path point = provider.mountPoint(mountPoint);
    if (StaleMounts.isMounted(point)) {
      if (!StaleMounts.unmount(point)) {
        throw new MountException(point + " is busy: another mount is there and cannot be removed");
      }
      LOG.log(System.Logger.Level.WARNING, "removed a stale mount at " + point);
    }
    provider.requireUsable(point);
    DriveVfs vfs = new DriveVfs(replica, stagingDirectory, services);
    Unmount unmount;
    try {
      if (binding == Binding.JFUSE) {
        provider.prepare(point);
        unmount = JfuseMount.mount(provider, vfs, point, stagingDirectory, name)::close;
      } else {
        unmount =
            mountJnrFuse(
                vfs, point, stagingDirectory, platform.mountOptions("gossipdrive-" + name));
      }
    } catch (RuntimeException | IOException e) {
      vfs.close();
      throw e instanceof MountException m
          ? m
          : new MountException("cannot mount at " + point + ": " + e.getMessage());
    }
    if (provider.listsMounts()) {
      awaitMounted(point);
    }
    return new DriveMount(vfs, unmount, point);
  }

  private static Unmount mountJnrFuse(
      DriveVfs vfs, Path point, Path ownerDirectory, List<String> options) {
    JnrFuseAdapter adapter = new JnrFuseAdapter(vfs, ownerDirectory);
    adapter.mount(point, false, false, options.toArray(String[]::new));
    return adapter::umount;
  }

  /**
   * Refuses a mount point this system's provider cannot mount at: on Linux and macOS anything but
   * an empty directory (a stale mount left by a killed daemon counts as usable: mounting removes
   * it), on Windows anything but a free drive letter or a directory WinFsp can create. The daemon
   * asks before it starts anything else, so a mistake costs one line and no teardown.
   *
   * @throws MountException naming the problem
   */
  public static void requireUsable(Path mountPoint) throws IOException {
    MountProvider.current().requireUsable(mountPoint);
  }

  /**
   * Creates the mount point where this system mounts over an existing directory (Linux, macOS),
   * unless a stale mount is there; nothing for a Windows drive letter, which is no directory.
   */
  public static void createMountPoint(Path mountPoint) throws IOException {
    MountProvider provider = MountProvider.current();
    Path point = provider.mountPoint(mountPoint);
    if (provider instanceof WinFsp) {
      return; // a letter is no directory, and a directory is created by WinFsp itself
    }
    if (!StaleMounts.isMounted(point)) {
      Files.createDirectories(point);
    }
  }

  /** The options the jfuse binding mounts drive {@code name} with on this system (benchmarks). */
  public static List<String> jfuseMountOptions(String name) {
    return MountProvider.current().mountOptions(name);
  }

  private static void awaitMounted(Path point) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!StaleMounts.isMounted(point)) {
      if (System.nanoTime() > deadline) {
        throw new MountException("the mount at " + point + " did not come up within 10 s");
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new MountException("interrupted while mounting " + point);
      }
    }
  }

  /**
   * The replica options a mounted drive wants: a chunk cache big enough that random reads over a
   * working set of a few hundred MiB do not re-read and re-verify whole chunks (a quarter of the
   * heap, at most 1 GiB).
   */
  public static org.gossipdrive.engine.ReplicaOptions options(
      org.gossipdrive.engine.ReplicaOptions base) {
    return base.withCacheBytes(Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 4));
  }

  public Path mountPoint() {
    return mountPoint;
  }

  /** The drive's semantics: locks, stale saves and commits are asked of it, not of FUSE. */
  public DriveVfs vfs() {
    return vfs;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    int committed = vfs.commitAll(true);
    if (committed > 0) {
      LOG.log(System.Logger.Level.INFO, "committed " + committed + " open files before unmount");
    }
    try {
      unmount.run();
    } catch (Exception e) {
      LOG.log(System.Logger.Level.WARNING, "unmounting " + mountPoint + ": " + e);
    }
    if (StaleMounts.isMounted(mountPoint)) {
      StaleMounts.unmount(mountPoint);
    }
    vfs.close();
  }
}
