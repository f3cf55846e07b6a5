package org.gossipdrive.fs.vfs;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.commit.Mutations;
import org.gossipdrive.engine.conflict.ConflictNames;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileVersion;
import org.gossipdrive.engine.tree.StoredVersion;

/**
 * No lost update (docs/locks.md): a save based on a version older than the one now in place, which
 * came from another device after the app read the file, is kept beside it as a conflict copy named
 * after the device whose bytes it holds, never over it.
 */
final class StaleSaves {
  private static final System.Logger LOG = System.getLogger(StaleSaves.class.getName());

  private final Replica replica;
  private final DriveServices services;
  private final ReadVersions readVersions;
  private final SaveSettler creations;

  StaleSaves(Replica replica, DriveServices services, SaveSettler creations) {
    this.replica = replica;
    this.services = services;
    this.readVersions = new ReadVersions(services.locks().self());
    this.creations = creations;
  }

  /** A reader here was just served {@code version} of {@code path}. */
  void served(String path, FileVersion version) {
    readVersions.served(path, version);
  }

  /** Whether replacing {@code current} at {@code path} would overwrite work the app never saw. */
  boolean outdated(String path, FileVersion current) {
    return readVersions.outdated(path, current);
  }

  /**
   * Whether {@code current}, at {@code path}, came from another device and no app here was ever
   * served it: a save renamed over it cannot be based on it (a new document saved on two devices at
   * once, or an app that started before the peer's version arrived).
   */
  boolean unseenPeerVersion(String path, FileVersion current) {
    return !current.author().equals(services.locks().self())
        && !readVersions.seen(path).equals(Optional.of(ReadVersions.Seen.of(current)));
  }

  /** The saves kept as conflict copies, newest last. */
  List<StaleSave> list() {
    return readVersions.staleSaves();
  }

  /**
   * A save by rename of {@code saved} onto {@code to}, whose version the app never read: {@code
   * saved} goes beside it under a conflict name instead.
   */
  void keepBeside(FileVersion saved, FileVersion parent, String to, String targetName) {
    String copy = freeConflictName(parent, targetName, deviceNameOf(saved));
    replica.move(saved.id(), parent.id(), copy, false);
    readVersions.keptAsConflict(to, copy);
  }

  /**
   * The file an app opening {@code path} for writing writes into: {@code entry} itself, or, when
   * this device last showed the app an older version, a conflict copy starting from that version
   * (the newer version stays as it is).
   */
  FileVersion writeTarget(String path, FileVersion entry, FileVersion parent) {
    if (!readVersions.outdated(path, entry)) {
      return entry;
    }
    FileVersion base = versionLastServed(path).orElse(entry);
    String copy = freeConflictName(parent, DrivePath.of(path).name(), services.deviceName());
    // Like a new file, the copy reaches peers with the save written into it, in one batch: they
    // never see it holding the old content first.
    FileId holding = FileId.random();
    creations.started(holding);
    FileVersion written;
    try {
      written =
          replica
              .commit(
                  Mutations.writeFile(
                      parent.id(), copy, contentOf(base), entry.mode(), base.mtimeNanos()),
                  false)
              .only()
              .version();
      creations.started(written.id());
    } finally {
      creations.ended(holding);
    }
    readVersions.keptAsConflict(path, copy);
    LOG.log(
        System.Logger.Level.WARNING,
        "{0} changed elsewhere since it was read here: this save goes to {1}",
        path,
        copy);
    return written;
  }

  static Mutations.Content contentOf(FileVersion version) {
    return new Mutations.Content(version.chunks(), version.size());
  }

  private Optional<FileVersion> versionLastServed(String path) {
    return readVersions
        .seen(path)
        .flatMap(
            seen ->
                replica.history(seen.id()).stream()
                    .map(StoredVersion::version)
                    .filter(v -> ReadVersions.Seen.of(v).equals(seen) && !v.deleted())
                    .findFirst());
  }

  private String freeConflictName(FileVersion parent, String name, String deviceName) {
    String candidate = ConflictNames.copyName(name, deviceName, Instant.now());
    for (int n = 2;
        replica.lookup(parent.id(), candidate).filter(v -> !v.deleted()).isPresent();
        n++) {
      candidate = ConflictNames.copyName(name, deviceName + " " + n, Instant.now());
    }
    return candidate;
  }

  /** The name of the device that wrote {@code version}: conflict copies carry it. */
  private String deviceNameOf(FileVersion version) {
    return version.author().equals(services.locks().self())
        ? services.deviceName()
        : replica.options().deviceNames().apply(version.author());
  }
}
