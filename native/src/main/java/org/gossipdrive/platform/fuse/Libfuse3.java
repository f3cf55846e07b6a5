package org.gossipdrive.platform.fuse;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What jfuse does not expose of libfuse 3's high-level API, reached through FFM: the caller of the
 * current request ({@code fuse_get_context}) and the kernel cache drop of a path ({@code
 * fuse_invalidate_path}, libfuse 3.1+).
 *
 * <p>{@code struct fuse_context} on 64-bit Linux: {@code struct fuse *} at 0, uid at 8, gid at 12,
 * pid at 16.
 */
public final class Libfuse3 {
  private static final Linker LINKER = Linker.nativeLinker();
  private static final List<String> CANDIDATES =
      List.of(
          "/usr/lib/x86_64-linux-gnu/libfuse3.so.3",
          "/lib/x86_64-linux-gnu/libfuse3.so.3",
          "/usr/lib/aarch64-linux-gnu/libfuse3.so.3",
          "/usr/lib64/libfuse3.so.3",
          "/usr/lib/libfuse3.so.3");

  /** The caller of a FUSE request, and the {@code struct fuse *} it came through. */
  public record Context(long fuse, long uid, long gid, long pid) {}

  private final Path library;
  private final MethodHandle getContext;
  private final MethodHandle invalidatePath;

  private Libfuse3(Path library, MethodHandle getContext, MethodHandle invalidatePath) {
    this.library = library;
    this.getContext = getContext;
    this.invalidatePath = invalidatePath;
  }

  /** libfuse 3 where this machine has it (Linux), else empty. */
  public static Optional<Libfuse3> load() {
    Optional<Path> found = CANDIDATES.stream().map(Path::of).filter(Files::exists).findFirst();
    if (found.isEmpty()) {
      return Optional.empty();
    }
    try {
      SymbolLookup lookup = SymbolLookup.libraryLookup(found.get(), Arena.global());
      MethodHandle context =
          LINKER.downcallHandle(
              lookup.find("fuse_get_context").orElseThrow(),
              FunctionDescriptor.of(
                  ValueLayout.ADDRESS.withTargetLayout(
                      MemoryLayout.sequenceLayout(24, ValueLayout.JAVA_BYTE))));
      MethodHandle invalidate =
          LINKER.downcallHandle(
              lookup.find("fuse_invalidate_path").orElseThrow(),
              FunctionDescriptor.of(
                  ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
      return Optional.of(new Libfuse3(found.get(), context, invalidate));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The library file, for jfuse's {@code setLibraryPath}. */
  public Path library() {
    return library;
  }

  /** The caller of the request this thread is serving (zeros outside a request). */
  public Context context() {
    try {
      MemorySegment context = (MemorySegment) getContext.invokeExact();
      if (context.address() == 0) {
        return new Context(0, 0, 0, 0);
      }
      return new Context(
          context.get(ValueLayout.JAVA_LONG, 0),
          Integer.toUnsignedLong(context.get(ValueLayout.JAVA_INT, 8)),
          Integer.toUnsignedLong(context.get(ValueLayout.JAVA_INT, 12)),
          context.get(ValueLayout.JAVA_INT, 16));
    } catch (Throwable e) {
      throw new IllegalStateException("fuse_get_context failed", e);
    }
  }

  /**
   * Drops the kernel's cached attributes and pages of {@code path} ("/a/b") in the mount whose
   * {@code struct fuse *} is {@code fuse}. Returns 0, or a negative errno ({@code -ENOENT}: the
   * kernel holds nothing under that path). Never call it from a request on the same file.
   */
  public int invalidatePath(long fuse, String path) {
    try (Arena arena = Arena.ofConfined()) {
      return (int)
          invalidatePath.invokeExact(MemorySegment.ofAddress(fuse), arena.allocateFrom(path));
    } catch (Throwable e) {
      throw new IllegalStateException("fuse_invalidate_path failed", e);
    }
  }
}
