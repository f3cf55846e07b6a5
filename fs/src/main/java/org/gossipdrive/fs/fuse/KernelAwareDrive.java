package org.gossipdrive.fs.fuse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.gossipdrive.fs.vfs.Attributes;
import org.gossipdrive.fs.vfs.Caller;
import org.gossipdrive.fs.vfs.DriveVfs;
import org.gossipdrive.fs.vfs.OpenFlags;

/**
 * The vfs calls whose answers the kernel caches, with the bookkeeping every binding needs around
 * them (docs/drive.md, "Peers' changes and the kernel's cache"): what attributes went out under
 * which path, opens that must not read a size the kernel still holds for another file, renames the
 * kernel follows (or must be told it got wrong). The adapters only translate types around it.
 */
final class KernelAwareDrive {
  private final DriveVfs vfs;
  private final KernelCache kernelCache;

  KernelAwareDrive(DriveVfs vfs) {
    this.vfs = vfs;
    this.kernelCache = new KernelCache(vfs::readOnlyHere, vfs::idAt);
    vfs.replica().onChangedByPeers(kernelCache::changed);
  }

  KernelCache kernelCache() {
    return kernelCache;
  }

  Attributes attributes(String path) {
    return handedOut(path, vfs.attributes(path));
  }

  /** Through an open handle; {@code path} may be null (an unlinked file). */
  Attributes attributes(String path, long handle) {
    return handedOut(path, vfs.attributes(path, handle));
  }

  private Attributes handedOut(String path, Attributes attributes) {
    kernelCache.handedOut(attributes.id(), path, attributes.size());
    if (attributes.readOnlyHere()) {
      kernelCache.handedOutReadOnly(path);
    }
    return attributes;
  }

  long open(Caller caller, String path, OpenFlags flags) throws IOException {
    kernelCache.awaitCurrent(path);
    long handle = vfs.open(caller, path, flags);
    Attributes opened = vfs.attributes(path, handle);
    kernelCache.refreshIfOtherSize(path, opened.id(), opened.size());
    kernelCache.opened(handle, path, opened.id());
    return handle;
  }

  void rename(Caller caller, String from, String to) {
    boolean asAsked = vfs.rename(caller, from, to);
    kernelCache.renamed(from, to);
    if (!asAsked) {
      kernelCache.changedBehindItsBack(from, to);
    }
  }

  void release(long handle) throws IOException {
    kernelCache.released(handle);
    vfs.release(handle);
  }

  /** The {@code user.*} attribute names of {@code path}, as listxattr answers them. */
  byte[] attributeNames(String path) {
    java.io.ByteArrayOutputStream names = new java.io.ByteArrayOutputStream();
    List<String> listed = vfs.listXattrs(path);
    for (String name : listed) {
      names.writeBytes(name.getBytes(StandardCharsets.UTF_8));
      names.write(0);
    }
    return names.toByteArray();
  }
}
