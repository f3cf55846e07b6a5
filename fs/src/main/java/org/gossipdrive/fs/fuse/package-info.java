/**
 * The FUSE side of the drive: one thin adapter per binding that only translates calls into {@link
 * org.gossipdrive.fs.vfs.DriveVfs} calls, refusals into errno ({@code Errno}), attributes into
 * {@code struct stat} ({@code StatFiller}) and peers' changes into kernel cache drops ({@code
 * KernelCache}): {@code JfuseAdapter} (jfuse, the default) and {@code JnrFuseAdapter} (jnr-fuse
 * over libfuse 2, the fallback, ADR 27). {@link org.gossipdrive.fs.fuse.DriveMount} mounts one.
 *
 * <p>The jfuse adapter is the same on every system; a {@code MountProvider} holds what differs (ADR
 * 31): the library, the mount options, what a usable mount point is, the install hint. {@code
 * LinuxLibfuse3} is the default and the only one that has run; {@code MacFuse} (macFUSE, FUSE-T)
 * and {@code WinFsp} (a drive letter such as {@code G:}) are written from documentation and
 * untested. {@code JfuseMount} mounts through a provider; {@code FuseRequests} is what the adapter
 * reaches of the library beyond jfuse (the caller and kernel cache drops: Linux only, through
 * {@code Libfuse3Requests}); {@code PlatformFlags} decodes each platform's {@code open(2)} and
 * {@code setxattr(2)} flags.
 */
package org.gossipdrive.fs.fuse;
