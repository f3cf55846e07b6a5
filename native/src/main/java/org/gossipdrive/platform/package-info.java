/**
 * Platform-specific code: native libraries bundled per OS and CPU (BLAKE3 today), and later the
 * FUSE/WinFsp loading and OS keyrings.
 */
package org.gossipdrive.platform;
