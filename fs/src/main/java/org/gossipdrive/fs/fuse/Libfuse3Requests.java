package org.gossipdrive.fs.fuse;

import java.util.Optional;
import org.gossipdrive.fs.vfs.Caller;
import org.gossipdrive.platform.fuse.Libfuse3;

/**
 * Linux's libfuse 3, reached through FFM for what jfuse does not expose (ADR 27): the caller from
 * {@code fuse_get_context} and the kernel cache drop {@code fuse_invalidate_path}. Linux only: the
 * context layout and the call are libfuse 3's.
 */
final class Libfuse3Requests implements FuseRequests {
  private final Libfuse3 libfuse;

  Libfuse3Requests(Libfuse3 libfuse) {
    this.libfuse = libfuse;
  }

  @Override
  public Caller caller() {
    Libfuse3.Context context = libfuse.context();
    return new Caller(context.pid(), context.uid(), context.gid());
  }

  /** Reads the mount's {@code struct fuse *}: valid only on libfuse's thread during init. */
  @Override
  public Optional<PathInvalidator> invalidator() {
    long fuse = libfuse.context().fuse();
    return Optional.of(
        new PathInvalidator() {
          private volatile boolean closed;

          @Override
          public void invalidate(String path) {
            if (!closed) {
              libfuse.invalidatePath(fuse, path);
            }
          }

          @Override
          public void close() {
            closed = true;
          }
        });
  }
}
