package org.gossipdrive.fs.vfs;

import java.time.Duration;
import java.util.Optional;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.conflict.ConflictNames;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileVersion;

/**
 * Save temporaries (Blender's {@code X.blend@}, LibreOffice's {@code lu*.tmp}) belong to the device
 * whose app made them (ADR 0025):
 *
 * <ul>
 *   <li>while a save is in progress its changes are held back, so peers see it as one change, never
 *       the temporary name;
 *   <li>a temporary left alone (the save failed, the app died) is renamed, before peers see it, to
 *       a recovery copy under its document's name, {@code X (unsaved <device> <time>).blend}: apps
 *       open it, and it can never clash with another device's live temporary;
 *   <li>a peer's temporary found under a name an app here saves to (from an older version, or a
 *       daemon killed mid-save) is set aside the same way, named after its device, instead of being
 *       written over;
 *   <li>work in progress here (a live temporary, a file with uncommitted writes) is never displaced
 *       by a peer's record: the engine keeps the peer's version as a conflict copy.
 * </ul>
 */
final class SaveTemporaries implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(SaveTemporaries.class.getName());

  /** A temporary still open past this is set aside anyway: a stuck app must not freeze sync. */
  static final Duration LONGEST_OPEN_SAVE = Duration.ofSeconds(60);

  private final Replica replica;
  private final DriveServices services;
  private final OpenFiles openFiles;
  private final DeviceId self;
  private final SaveSettler settler;

  SaveTemporaries(Replica replica, DriveServices services, OpenFiles openFiles, Duration settle) {
    this.replica = replica;
    this.services = services;
    this.openFiles = openFiles;
    this.self = services.locks().self();
    this.settler = new SaveSettler(services.pushHold(), settle, this::settleLeftover);
    replica.protectLocalWork(this::workInProgress);
  }

  boolean isTemporaryName(String name) {
    return services.companions().isTransient(name);
  }

  /** A save's temporary appeared here: outgoing changes are held until it ends. */
  void started(FileId file) {
    settler.started(file);
  }

  void touched(FileId file) {
    settler.touched(file);
  }

  /** The temporary was renamed into place or removed. */
  void ended(FileId file) {
    settler.ended(file);
  }

  /**
   * Whether an app here is saving the document at {@code path}: one of its companions (Blender's
   * {@code X@}) is a save temporary in progress.
   */
  boolean saveInProgressFor(String path) {
    DrivePath place = DrivePath.of(path);
    String directory = place.parent().equals("/") ? "/" : place.parent() + "/";
    for (String companion : services.companions().companionsOf(place.name())) {
      if (isTemporaryName(companion)
          && replica
              .resolve(directory + companion)
              .filter(v -> !v.deleted() && settler.inProgress(v.id()))
              .isPresent()) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code file} is a save's temporary, still being written or renamed into place. */
  boolean inProgress(FileId file) {
    return settler.inProgress(file);
  }

  /**
   * Before an app here writes a temporary at {@code path}: another device's temporary found there
   * is set aside as that device's recovery copy, so no two devices ever write one file. Returns
   * whether it was.
   */
  boolean setAsideIfPeers(Optional<FileVersion> entry) {
    if (entry.isEmpty()
        || entry.get().deleted()
        || !isTemporaryName(entry.get().name())
        || entry.get().author().equals(self)
        || settler.inProgress(entry.get().id())) {
      return false;
    }
    FileVersion peers = entry.get();
    setAside(peers, replica.options().deviceNames().apply(peers.author()));
    return true;
  }

  /**
   * A temporary left alone for the settle time: renamed to its recovery copy while changes are
   * still held, so peers only ever see the copy.
   */
  private boolean settleLeftover(FileId file, Duration waited) {
    Optional<FileVersion> head = replica.head(file).filter(v -> !v.deleted());
    if (head.isEmpty() || !isTemporaryName(head.get().name())) {
      return true; // removed, or renamed into place by a path the save did not watch
    }
    if (openFiles.byFile(file).isPresent() && waited.compareTo(LONGEST_OPEN_SAVE) < 0) {
      return false; // the app still has it open: its save may yet finish
    }
    setAside(head.get(), services.deviceName());
    return true;
  }

  private void setAside(FileVersion temporary, String deviceName) {
    String document = services.companions().documentOf(temporary.name()).orElse(temporary.name());
    String base =
        ConflictNames.recoveryName(document, deviceName, temporary.timestamp().toInstant());
    String name = base;
    for (int n = 2; taken(temporary.parent(), name); n++) {
      name =
          ConflictNames.recoveryName(
              document, deviceName + " " + n, temporary.timestamp().toInstant());
    }
    replica.move(temporary.id(), temporary.parent(), name, false);
    LOG.log(
        System.Logger.Level.WARNING,
        "a save of {0} did not finish; what it wrote is kept as {1}",
        document,
        name);
  }

  private boolean taken(FileId parent, String name) {
    return replica.lookup(parent, name).filter(v -> !v.deleted()).isPresent();
  }

  /**
   * Entries a peer's record must not displace or silently replace. Called on the commit thread:
   * reads only lock-free state.
   */
  private boolean workInProgress(FileId file) {
    return settler.inProgress(file) || openFiles.byFile(file).map(OpenFile::isDirty).orElse(false);
  }

  @Override
  public void close() {
    settler.close();
  }
}
