package org.gossipdrive.fs.vfs;

import java.util.List;
import java.util.Optional;
import org.gossipdrive.engine.lock.AcquireResult;
import org.gossipdrive.engine.lock.Companions;
import org.gossipdrive.engine.lock.Lock;
import org.gossipdrive.engine.lock.Locks;

/**
 * The lock rules of the drive's operations (docs/locks.md): changing a document takes its lock,
 * which then belongs to the calling process; a document another device holds refuses every change
 * with EACCES and shows without write permission, as do its companions; creating a companion (an
 * app starting to edit or save) takes the document's lock when it can, and is allowed regardless,
 * so the app's data always lands on disk.
 */
final class DocumentLocks implements AutoCloseable {
  private final Locks locks;
  private final Companions companions;
  private final LockOwners owners;

  DocumentLocks(DriveServices services) {
    this.locks = services.locks();
    this.companions = services.companions();
    this.owners = new LockOwners(locks::release, services.idleRelease());
  }

  Companions companions() {
    return companions;
  }

  /** Refuses ({@code LOCKED_ELSEWHERE}, EACCES) when another device holds {@code path}. */
  void requireNotHeldElsewhere(String path) {
    if (path != null && locks.heldElsewhere(path)) {
      throw new DriveException(DriveException.Reason.LOCKED_ELSEWHERE);
    }
  }

  /** Takes the lock on {@code path} for the calling thread's process, or refuses with EACCES. */
  void acquire(String path, long tid) {
    requireNotHeldElsewhere(path);
    AcquireResult result;
    try {
      result = locks.acquire(path);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DriveException(DriveException.Reason.INTERRUPTED);
    }
    if (!result.granted()) {
      throw new DriveException(DriveException.Reason.LOCKED_ELSEWHERE);
    }
    owners.used(path, tid);
  }

  /**
   * Takes the lock of a document being changed. A save's companion or temporary file takes no lock
   * of its own (its document's lock covers it), but still respects one held elsewhere.
   */
  void take(String path, Caller caller) {
    if (incidental(path)) {
      requireNotHeldElsewhere(path);
    } else {
      acquire(path, caller.pid());
    }
  }

  /** Whether {@code path} names a companion or a save temporary rather than a document. */
  boolean incidental(String path) {
    String name = DrivePath.of(path).name();
    return companions.documentOf(name).isPresent() || companions.isTransient(name);
  }

  /**
   * An app created {@code path}: if it names a companion of a document, the document's lock is
   * taken when free. Never refuses: a save in progress must be able to write its data.
   */
  void companionCreated(String path, long tid) {
    documentOf(path)
        .filter(document -> !locks.heldElsewhere(document))
        .ifPresent(
            document -> {
              try {
                if (locks.acquire(document).granted()) {
                  owners.used(document, tid);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
  }

  /**
   * Whether {@code path} shows read-only: it, or the document it accompanies, is held elsewhere.
   */
  boolean readOnlyHere(String path) {
    return locks.heldElsewhere(path) || documentOf(path).filter(locks::heldElsewhere).isPresent();
  }

  /** The lock on {@code path}, or on the document it accompanies. */
  Optional<Lock> lockFor(String path) {
    return locks.lock(path).or(() -> documentOf(path).flatMap(locks::lock));
  }

  /** Takes {@code path} until {@link #unlock}, for no process in particular. */
  AcquireResult lockExplicitly(String path) throws InterruptedException {
    AcquireResult result = locks.acquire(path);
    if (result.granted()) {
      owners.explicit(path);
    }
    return result;
  }

  void unlock(String path) {
    owners.forget(path);
    locks.release(path);
  }

  List<String> ownersOf(String path) {
    return owners.describe(path);
  }

  private Optional<String> documentOf(String path) {
    if (path == null) {
      return Optional.empty();
    }
    DrivePath place = DrivePath.of(path);
    return companions
        .documentOf(place.name())
        .map(name -> place.parent().equals("/") ? "/" + name : place.parent() + "/" + name);
  }

  @Override
  public void close() {
    owners.close();
  }
}
