package org.gossipdrive.fs.fuse;

import java.util.Optional;
import org.gossipdrive.fs.vfs.Caller;

/**
 * What the jfuse adapter needs from the FUSE library that jfuse's API does not give: who made the
 * request being served, and a way to drop the kernel's cache of a path a peer changed. Linux's
 * libfuse 3 offers both ({@link Libfuse3Requests}); the other providers get {@link #anonymous()}.
 */
interface FuseRequests {
  /** The caller of the request this thread is serving. */
  Caller caller();

  /**
   * How to drop the kernel's cache of a path, or empty where the library offers no way. Asked once,
   * from {@code init} on the library's thread: libfuse 3 only names its mount there.
   */
  Optional<PathInvalidator> invalidator();

  /**
   * Requests from an unknown app, and no cache drops: macFUSE, FUSE-T and WinFsp (untested).
   *
   * <p>Why no caller: the drive uses the pid only to find the process owning a lock through {@code
   * /proc}, which only Linux has; elsewhere a lock ends with its lease whatever the pid, so
   * reaching each library's context call through FFM would buy nothing. Why no invalidation: jfuse
   * exposes none, macFUSE's libfuse 2 API has no {@code fuse_invalidate_path}, and WinFsp's FUSE
   * layer has no kernel cache of ours to drop; the attribute timeouts of each provider's options
   * bound how long a peer's change can show stale.
   */
  static FuseRequests anonymous() {
    return Anonymous.INSTANCE;
  }

  /** The requests of a library reached only through jfuse. */
  enum Anonymous implements FuseRequests {
    INSTANCE;

    /** pid 0 finds no process: the lock a request takes is held by its lease alone. */
    static final Caller UNKNOWN_APP = new Caller(0, -1, -1);

    @Override
    public Caller caller() {
      return UNKNOWN_APP;
    }

    @Override
    public Optional<PathInvalidator> invalidator() {
      return Optional.empty();
    }
  }
}
