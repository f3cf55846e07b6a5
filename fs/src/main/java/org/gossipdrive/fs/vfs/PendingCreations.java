package org.gossipdrive.fs.vfs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.conflict.ConflictNames;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.TreeException;

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

  /**
   * Commits the pending file at {@code place}, if there is one, so the tree has its name; returns
   * whether there was one.
   */
  boolean settle(Place place) {
    Optional<OpenFile> file = at(place);
    file.ifPresent(PendingCreations::settle);
    return file.isPresent();
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

  /**
   * Creates file {@code id} at {@code place} with {@code content}, in one commit. A name another
   * device took meanwhile gets this file as a conflict copy beside it, and a directory another
   * device removed meanwhile leaves it in the drive's root: a file an app wrote is never dropped.
   */
  static void create(
      Replica replica,
      FileId id,
      Place place,
      int mode,
      long mtimeNanos,
      Supplier<InputStream> content,
      boolean durable)
      throws IOException {
    FileId parent = place.parent();
    String name = place.name();
    for (int attempt = 1; ; attempt++) {
      TreeException refusal;
      try {
        replica
            .createFileAsync(id, parent, name, mode, content.get(), () -> mtimeNanos, durable)
            .join();
        return;
      } catch (CompletionException e) {
        if (!(e.getCause() instanceof TreeException tree)) {
          throw e;
        }
        refusal = tree;
      } catch (TreeException e) {
        refusal = e;
      }
      if (attempt > 3
          || (refusal.reason() != TreeException.Reason.NOT_FOUND
              && refusal.reason() != TreeException.Reason.ALREADY_EXISTS)) {
        throw refusal;
      }
      if (refusal.reason() == TreeException.Reason.NOT_FOUND) {
        parent = FileId.ROOT;
      }
      String device = replica.options().deviceNames().apply(replica.options().device());
      name =
          ConflictNames.copyName(
              place.name(), attempt > 1 ? device + " " + attempt : device, Instant.now());
    }
  }

  private static void settle(OpenFile file) {
    try {
      file.commit(false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
