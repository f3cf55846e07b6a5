package org.gossipdrive.engine.conflict;

import java.util.Comparator;
import java.util.Optional;
import org.gossipdrive.engine.tree.FileVersion;
import org.gossipdrive.engine.tree.VersionVector;

/**
 * Pure, deterministic conflict rules: every peer that sees the same two versions reaches the same
 * result, whatever order they arrived in. Nothing written is dropped.
 */
public final class ConflictRules {
  /** First on the network wins: earliest hybrid clock stamp, then the smaller device id. */
  public static final Comparator<FileVersion> PRECEDENCE =
      Comparator.comparing(FileVersion::timestamp).thenComparing(FileVersion::author);

  private ConflictRules() {}

  public static VersionVector.Order compare(FileVersion a, FileVersion b) {
    return a.versionVector().compare(b.versionVector());
  }

  public static Resolution resolve(FileVersion local, FileVersion incoming) {
    switch (compare(local, incoming)) {
      case EQUAL, AFTER -> {
        return new Resolution(Resolution.Outcome.KEEP_LOCAL, local, Optional.empty());
      }
      case BEFORE -> {
        return new Resolution(Resolution.Outcome.TAKE_REMOTE, incoming, Optional.empty());
      }
      default -> {
        // Edit beats delete: the surviving edit keeps the name and nothing needs a copy.
        if (local.deleted() != incoming.deleted()) {
          FileVersion edit = local.deleted() ? incoming : local;
          return new Resolution(Resolution.Outcome.CONFLICT, edit, Optional.empty());
        }
        if (local.deleted()) {
          FileVersion first = PRECEDENCE.compare(local, incoming) <= 0 ? local : incoming;
          return new Resolution(Resolution.Outcome.CONFLICT, first, Optional.empty());
        }
        boolean localFirst = PRECEDENCE.compare(local, incoming) <= 0;
        FileVersion winner = localFirst ? local : incoming;
        FileVersion loser = localFirst ? incoming : local;
        return new Resolution(Resolution.Outcome.CONFLICT, winner, Optional.of(loser));
      }
    }
  }

  /** The name the losing version is kept under. */
  public static String conflictCopyName(FileVersion loser, String authorDeviceName) {
    return ConflictNames.copyName(loser.name(), authorDeviceName, loser.timestamp().toInstant());
  }
}
