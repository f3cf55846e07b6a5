/**
 * The drive's file system semantics, knowing nothing of FUSE: {@link
 * org.gossipdrive.fs.vfs.DriveVfs} answers path and handle operations for a caller, refusing with a
 * {@link org.gossipdrive.fs.vfs.DriveException}. It owns the open-file table ({@code OpenFile},
 * {@code OpenFiles}, {@code Overlay}, {@code HeadLookup}, {@code Staging}, {@code Extents}, {@code
 * StreamingCommit}: writes staged per open file over its base, committed as one version at close;
 * {@code PendingCreations}: a new file reaches the tree only at its first close, with its content),
 * the lock policy ({@code DocumentLocks}, {@code LockOwners}), save tracking ({@code SaveSettler},
 * {@code SaveTemporaries}) and stale-save conflict copies ({@code StaleSaves}, {@code
 * ReadVersions}), and extended attributes.
 */
package org.gossipdrive.fs.vfs;
