/**
 * The FUSE side of the drive: one thin adapter per binding ({@link
 * org.gossipdrive.fs.fuse.JnrFuseAdapter}: jnr-fuse over libfuse 2's path API) that only translates
 * calls into {@link org.gossipdrive.fs.vfs.DriveVfs} calls, refusals into errno ({@code Errno}),
 * attributes into {@code struct stat} ({@code StatFiller}) and peers' changes into kernel cache
 * drops ({@code KernelCache}); {@link org.gossipdrive.fs.fuse.DriveMount} mounts it.
 */
package org.gossipdrive.fs.fuse;
