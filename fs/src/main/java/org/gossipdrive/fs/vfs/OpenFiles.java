package org.gossipdrive.fs.vfs;

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

  /** A file created here and not in the tree yet (see {@link PendingCreations}); not open yet. */
  OpenFile newFile(FileVersion draft, PendingCreations registry, PendingCreations.Place place) {
    return OpenFile.created(draft, replica, stagingDirectory, registry, place);
  }

  /** Opens the first handle of a {@link #newFile}. */
  long adopt(OpenFile file) {
    synchronized (byFile) {
      if (byFile.putIfAbsent(file.id(), file) != null) {
        throw new IllegalStateException("file " + file.id() + " is already open");
      }
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
    OpenFile file = byHandle.get(handle);
    if (releaseKeepingOpen(handle)) {
      file.close();
    }
  }

  /**
   * Closes a handle and returns whether it was its file's last; that file is no longer found here,
   * and the caller closes it (see {@link CreationJournal}).
   */
  boolean releaseKeepingOpen(long handle) {
    OpenFile file = byHandle.remove(handle);
    if (file == null) {
      return false;
    }
    synchronized (byFile) {
      boolean last = file.releaseHandle() == 0;
      if (last) {
        byFile.remove(file.id());
      }
      return last;
    }
  }

  /** Commits every open file's staged writes; returns how many had some. */
  int commitAll(boolean durable) {
    int committed = 0;
    for (OpenFile file : all()) {
      try {
        if (file.commit(durable)) {
          committed++;
        }
      } catch (IOException | RuntimeException e) {
        System.getLogger(OpenFiles.class.getName())
            .log(System.Logger.Level.ERROR, "could not commit open file " + file.id(), e);
      }
    }
    if (durable) {
      replica.sync();
    }
    return committed;
  }

  List<OpenFile> all() {
    synchronized (byFile) {
      return new ArrayList<>(byFile.values());
    }
  }
}
