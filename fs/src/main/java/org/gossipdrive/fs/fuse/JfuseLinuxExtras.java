package org.gossipdrive.fs.fuse;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Optional;
import org.cryptomator.jfuse.api.Fuse;
import org.cryptomator.jfuse.api.Stat;

/**
 * What libfuse 3 offers and jfuse 0.7.3 does not pass on, added on Linux by writing into the
 * structs jfuse hands libfuse (ADR 40):
 *
 * <ul>
 *   <li>{@code fallocate} and {@code lseek}: jfuse's operation list has no entry for them, so it
 *       never fills those slots of {@code struct fuse_operations}. The kernel answered EOPNOTSUPP
 *       to every {@code fallocate(1)}, punching a hole included, and took a sparse file for all
 *       data at {@code SEEK_DATA}/{@code SEEK_HOLE}, so {@code cp} read a petabyte of zeros. Upcall
 *       stubs go into the slots after jfuse has built the struct and before it mounts.
 *   <li>{@code st_blocks}: jfuse's {@link Stat} has no setter, and libfuse zeroes the struct, so
 *       {@code du} counted nothing for any file. The field is written into the Stat's segment.
 * </ul>
 *
 * <p>The offsets are read from jfuse's own generated bindings for the running architecture, so they
 * match the structs jfuse itself fills. If any is missing (another jfuse version), {@link #find} is
 * empty and the drive works without them, as before.
 */
final class JfuseLinuxExtras {
  private static final System.Logger LOG = System.getLogger(JfuseLinuxExtras.class.getName());

  /** What the upcalls are answered by. */
  interface Operations {
    /** 0 or a negative errno. */
    int fallocate(String path, int mode, long offset, long length, long handle);

    /** {@code SEEK_DATA} or {@code SEEK_HOLE}: the offset found, or a negative errno. */
    long lseek(String path, long offset, int whence, long handle);
  }

  private static final FunctionDescriptor FALLOCATE =
      FunctionDescriptor.of(
          ValueLayout.JAVA_INT,
          ValueLayout.ADDRESS,
          ValueLayout.JAVA_INT,
          ValueLayout.JAVA_LONG,
          ValueLayout.JAVA_LONG,
          ValueLayout.ADDRESS);

  private static final FunctionDescriptor LSEEK =
      FunctionDescriptor.of(
          ValueLayout.JAVA_LONG,
          ValueLayout.ADDRESS,
          ValueLayout.JAVA_LONG,
          ValueLayout.JAVA_INT,
          ValueLayout.ADDRESS);

  private static final int EIO = 5;
  private static final int EBADF = 9;

  /** Longest path the kernel sends (PATH_MAX), for reading one from a bare pointer. */
  private static final long PATH_MAX = 4096;

  private final long fallocateSlot;
  private final long lseekSlot;
  private final long handleOffset;
  private final long blocksOffset;
  private final long statSize;
  private volatile MethodHandle statSegment;
  private volatile Operations target;

  private JfuseLinuxExtras(
      long fallocateSlot, long lseekSlot, long handleOffset, long blocksOffset, long statSize) {
    this.fallocateSlot = fallocateSlot;
    this.lseekSlot = lseekSlot;
    this.handleOffset = handleOffset;
    this.blocksOffset = blocksOffset;
    this.statSize = statSize;
  }

  /** The extras for this machine's jfuse-linux build, or empty when its bindings differ. */
  static Optional<JfuseLinuxExtras> find() {
    String arch = System.getProperty("os.arch").equals("aarch64") ? "aarch64" : "amd64";
    String bindings = "org.cryptomator.jfuse.linux." + arch + ".extr.fuse3.";
    try {
      return Optional.of(
          new JfuseLinuxExtras(
              staticLong(bindings + "fuse_operations", "fallocate$offset"),
              staticLong(bindings + "fuse_operations", "lseek$offset"),
              staticLong(bindings + "fuse_file_info", "fh$offset"),
              staticLong(bindings + "stat", "st_blocks$offset"),
              staticLong(bindings + "stat", "sizeof")));
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "this jfuse build differs from the one the drive knows: fallocate and SEEK_HOLE are"
              + " unsupported and du counts nothing ({0})",
          e.toString());
      return Optional.empty();
    }
  }

  private static long staticLong(String className, String method)
      throws ReflectiveOperationException {
    return (long) Class.forName(className).getMethod(method).invoke(null);
  }

  /**
   * Fills the {@code fallocate} and {@code lseek} slots of {@code fuse}'s operations with stubs
   * that call {@code operations}. Before {@code fuse.mount}; the stubs live in {@code arena},
   * closed after the unmount.
   */
  void bind(Fuse fuse, Operations operations, Arena arena) throws ReflectiveOperationException {
    this.target = operations;
    var field = Fuse.class.getDeclaredField("fuseOperationsStruct");
    field.setAccessible(true);
    MemorySegment struct = (MemorySegment) field.get(fuse);
    MethodHandles.Lookup lookup = MethodHandles.lookup();
    MethodHandle fallocate =
        lookup
            .findVirtual(
                JfuseLinuxExtras.class,
                "fallocate",
                MethodType.methodType(
                    int.class,
                    MemorySegment.class,
                    int.class,
                    long.class,
                    long.class,
                    MemorySegment.class))
            .bindTo(this);
    MethodHandle lseek =
        lookup
            .findVirtual(
                JfuseLinuxExtras.class,
                "lseek",
                MethodType.methodType(
                    long.class, MemorySegment.class, long.class, int.class, MemorySegment.class))
            .bindTo(this);
    Linker linker = Linker.nativeLinker();
    struct.set(ValueLayout.ADDRESS, fallocateSlot, linker.upcallStub(fallocate, FALLOCATE, arena));
    struct.set(ValueLayout.ADDRESS, lseekSlot, linker.upcallStub(lseek, LSEEK, arena));
  }

  /** Called by libfuse on its own threads: nothing may escape, or the JVM would abort. */
  private int fallocate(MemorySegment path, int mode, long offset, long length, MemorySegment fi) {
    try {
      if (fi.equals(MemorySegment.NULL)) {
        return -EBADF;
      }
      return target.fallocate(pathOf(path), mode, offset, length, handleOf(fi));
    } catch (Throwable t) {
      LOG.log(System.Logger.Level.WARNING, "fallocate failed", t);
      return -EIO;
    }
  }

  /** Called by libfuse on its own threads, as {@link #fallocate} is. */
  private long lseek(MemorySegment path, long offset, int whence, MemorySegment fi) {
    try {
      if (fi.equals(MemorySegment.NULL)) {
        return -EBADF;
      }
      return target.lseek(pathOf(path), offset, whence, handleOf(fi));
    } catch (Throwable t) {
      LOG.log(System.Logger.Level.WARNING, "lseek failed", t);
      return -EIO;
    }
  }

  private long handleOf(MemorySegment fi) {
    return fi.reinterpret(handleOffset + 8).get(ValueLayout.JAVA_LONG, handleOffset);
  }

  private static String pathOf(MemorySegment path) {
    return path.reinterpret(PATH_MAX).getString(0);
  }

  /** Sets {@code st_blocks} (512-byte units) in a Stat that jfuse's getattr handed over. */
  void setBlocks(Stat stat, long blocks) {
    try {
      MethodHandle segmentOf = statSegment;
      if (segmentOf == null) {
        var accessor = stat.getClass().getDeclaredMethod("segment");
        accessor.setAccessible(true);
        segmentOf = MethodHandles.lookup().unreflect(accessor);
        statSegment = segmentOf;
      }
      MemorySegment segment = ((MemorySegment) segmentOf.invoke(stat)).reinterpret(statSize);
      segment.set(ValueLayout.JAVA_LONG, blocksOffset, blocks);
    } catch (Throwable t) {
      throw new IllegalStateException("cannot set st_blocks through jfuse", t);
    }
  }
}
