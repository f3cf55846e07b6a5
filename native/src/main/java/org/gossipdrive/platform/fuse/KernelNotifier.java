package org.gossipdrive.platform.fuse;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * Tells the kernel that what it cached about a mounted file is out of date (libfuse 2's {@code
 * fuse_lowlevel_notify_inval_inode} and {@code _inval_entry}).
 *
 * <p>Why: the kernel keeps a file's attributes for {@code attr_timeout} and answers reads past the
 * size it holds without asking us. A file that just grew through a peer's save would read as empty
 * or cut short until then. Notifying drops the cached attributes and pages at once.
 *
 * <p>libfuse 2's high-level API hides the kernel's node ids; without {@code use_ino} it reports the
 * node id as {@code st_ino}, so callers learn it with an {@code lstat} through the mount.
 *
 * <p>Only valid while the mount runs: {@link #close()} must come before the unmount, after which
 * the channel no longer exists; every call is refused from then on.
 */
public final class KernelNotifier implements AutoCloseable {
  private static final Linker LINKER = Linker.nativeLinker();

  private final MethodHandle invalidateInode;
  private final MemorySegment channel;
  private boolean closed;

  private KernelNotifier(MethodHandle invalidateInode, MemorySegment channel) {
    this.invalidateInode = invalidateInode;
    this.channel = channel;
  }

  /**
   * The notifier of the mount whose {@code struct fuse} is at {@code fuseAddress} (from {@code
   * fuse_get_context()} inside a FUSE callback), or empty where libfuse 2's notify calls are
   * missing.
   */
  public static Optional<KernelNotifier> forMount(long fuseAddress) {
    if (fuseAddress == 0 || FusePlatform.current() != FusePlatform.LINUX) {
      return Optional.empty();
    }
    try {
      SymbolLookup libfuse = SymbolLookup.libraryLookup("libfuse.so.2", Arena.global());
      MethodHandle session =
          handle(
              libfuse,
              "fuse_get_session",
              FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
      MethodHandle nextChannel =
          handle(
              libfuse,
              "fuse_session_next_chan",
              FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
      MethodHandle inode =
          handle(
              libfuse,
              "fuse_lowlevel_notify_inval_inode",
              FunctionDescriptor.of(
                  ValueLayout.JAVA_INT,
                  ValueLayout.ADDRESS,
                  ValueLayout.JAVA_LONG,
                  ValueLayout.JAVA_LONG,
                  ValueLayout.JAVA_LONG));
      MemorySegment se = (MemorySegment) session.invokeExact(MemorySegment.ofAddress(fuseAddress));
      if (se.address() == 0) {
        return Optional.empty();
      }
      MemorySegment ch = (MemorySegment) nextChannel.invokeExact(se, MemorySegment.NULL);
      if (ch.address() == 0) {
        return Optional.empty();
      }
      return Optional.of(new KernelNotifier(inode, ch));
    } catch (Throwable e) {
      return Optional.empty();
    }
  }

  private static MethodHandle handle(
      SymbolLookup library, String name, FunctionDescriptor descriptor) {
    MemorySegment symbol =
        library
            .find(name)
            .orElseThrow(() -> new UnsupportedOperationException("libfuse has no " + name));
    return LINKER.downcallHandle(symbol, descriptor);
  }

  /**
   * Drops the kernel's cached attributes and pages of node {@code nodeId}. Returns 0, or a negative
   * errno ({@code -ENOENT} when the kernel no longer holds the node: nothing to drop).
   */
  public synchronized int invalidateInode(long nodeId) {
    if (closed) {
      return -1;
    }
    try {
      return (int) invalidateInode.invokeExact(channel, nodeId, 0L, 0L);
    } catch (Throwable e) {
      throw new IllegalStateException("fuse_lowlevel_notify_inval_inode failed", e);
    }
  }

  /** Refuses every later call; returns once no call is running. Call before unmounting. */
  @Override
  public synchronized void close() {
    closed = true;
  }
}
