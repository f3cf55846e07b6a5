/**
 * The platform's FUSE layer: finding libfuse, macFUSE or WinFsp with a one-line error naming what
 * to install, the mount options each platform needs, cleaning up a mount left by a crash, and
 * telling the kernel to drop what it cached about a file a peer changed. Everything that differs
 * between Linux, macOS and Windows for mounting lives here.
 */
package org.gossipdrive.platform.fuse;
