package org.gossipdrive.fs.vfs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gossipdrive.engine.tree.FileId;

/**
 * Files created here and not closed yet: they are not in the tree. A new small file becomes one
 * version at its first close, content included, instead of an empty file and then its content: one
 * commit, one signature and one record to send per file, not two (issue 14).
 *
 * <p>Until then the name is reserved here, so {@code O_EXCL} stays atomic among this device's
 * processes, and {@code getattr} answers from the open file. Anything else that needs the name in
 * the tree (a rename, an unlink, a listing of its directory, another open by path) first settles
 * it: the file is committed as it stands, and the operation goes on as for any file.
 */
final class PendingCreations {
  /** Where a pending file will be created. */
  record Place(FileId parent, String name) {}

  private final Map<Place, OpenFile> byPlace = new HashMap<>();

  /**
   * Reserves {@code place} for {@code file}, unless another pending file has it: then that file is
   * returned (the caller opens it, or refuses with EXISTS under O_EXCL).
   */
  synchronized Optional<OpenFile> reserve(Place place, OpenFile file) {
    OpenFile holder = byPlace.putIfAbsent(place, file);
    return holder == null ? Optional.empty() : Optional.of(holder);
  }

  synchronized boolean isEmpty() {
    return byPlace.isEmpty();
  }

  synchronized Optional<OpenFile> at(Place place) {
    return Optional.ofNullable(byPlace.get(place));
  }

  /** Called once the file is in the tree (or abandoned): the tree answers for the name again. */
  synchronized void done(Place place, OpenFile file) {
    byPlace.remove(place, file);
  }

  /** Commits the pending file at {@code place}, if there is one, so the tree has its name. */
  void settle(Place place) {
    at(place).ifPresent(PendingCreations::settle);
  }

  /** Commits every pending file in {@code directory} (before it is listed or removed). */
  void settleIn(FileId directory) {
    List<OpenFile> inside = new ArrayList<>();
    synchronized (this) {
      byPlace.forEach(
          (place, file) -> {
            if (place.parent().equals(directory)) {
              inside.add(file);
            }
          });
    }
    inside.forEach(PendingCreations::settle);
  }

  private static void settle(OpenFile file) {
    try {
      file.commit(false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
