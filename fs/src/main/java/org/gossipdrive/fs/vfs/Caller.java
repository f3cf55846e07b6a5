package org.gossipdrive.fs.vfs;

/**
 * Who made a request: the kernel reports the calling thread's id as {@code pid} (locks belong to
 * the process, which {@link LockOwners} finds from it), and the caller's user and group.
 */
public record Caller(long pid, long uid, long gid) {
  /** A request made by the daemon itself (unmount, the local API), not by an app. */
  public static final Caller DAEMON = new Caller(0, -1, -1);
}
