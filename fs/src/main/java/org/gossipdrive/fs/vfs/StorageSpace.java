package org.gossipdrive.fs.vfs;

/** What {@code statfs} shows: the space of the disk holding the drive's store, in bytes. */
public record StorageSpace(long totalBytes, long freeBytes, long availableBytes) {}
