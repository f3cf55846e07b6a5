package org.gossipdrive.fs.drive;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileVersion;

/** The drive's file handles: each names one {@link OpenFile}, shared by every handle of a file. */
final class OpenFiles {
  private final Replica replica;
  private final Path stagingDirectory;
  private final AtomicLong nextHandle = new AtomicLong(1);
  private final Map<Long, OpenFile> byHandle = new ConcurrentHashMap<>();
  private final Map<FileId, OpenFile> byFile = new HashMap<>();

  OpenFiles(Replica replica, Path stagingDirectory) {
    this.replica = replica;
    this.stagingDirectory = stagingDirectory;
  }

  /** Opens a handle on {@code version}'s file and returns its number. */
  long open(FileVersion version) {
    OpenFile file;
    synchronized (byFile) {
      file =
          byFile.computeIfAbsent(
              version.id(), id -> new OpenFile(version, replica, stagingDirectory));
      file.retain();
    }
    long handle = nextHandle.getAndIncrement();
    byHandle.put(handle, file);
    return handle;
  }

  Optional<OpenFile> byHandle(long handle) {
    return Optional.ofNullable(byHandle.get(handle));
  }

  Optional<OpenFile> byFile(FileId id) {
    synchronized (byFile) {
      return Optional.ofNullable(byFile.get(id));
    }
  }

  /** Closes a handle; the last one of a file drops its staging (the caller committed first). */
  void release(long handle) throws IOException {
    OpenFile file = byHandle.remove(handle);
    if (file == null) {
      return;
    }
    boolean last;
    synchronized (byFile) {
      last = file.releaseHandle() == 0;
      if (last) {
        byFile.remove(file.id());
      }
    }
    if (last) {
      file.close();
    }
  }

  List<OpenFile> all() {
    synchronized (byFile) {
      return new ArrayList<>(byFile.values());
    }
  }
}
