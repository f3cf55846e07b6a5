/**
 * The mounted drive: a POSIX file system over the replica, served through FUSE. Writes are staged
 * per open file on local disk and become one new version, atomically, when the file is flushed,
 * fsynced or closed; reads come from the chunk store.
 */
package org.gossipdrive.fs.drive;
