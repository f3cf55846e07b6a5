package org.gossipdrive.engine.maintenance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.commit.RemoteApply;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileType;
import org.gossipdrive.engine.tree.FileVersion;
import org.gossipdrive.engine.tree.VersionVector;

/**
 * Looks for lost work: a file version that no other version of its entry supersedes must show in
 * the tree, under its own name or as a conflict copy. Only a user's own action may make it go (a
 * delete, or an edit or delete of the conflict copy that held it).
 */
public final class EditAudit {
  private EditAudit() {}

  /** The undominated file versions among the records held whose content no file shows. */
  public static List<FileVersion> lostEdits(Replica replica) {
    Map<FileId, List<FileVersion>> byEntry = new HashMap<>();
    for (DeviceId author : replica.digest().keySet()) {
      for (FileVersion record : replica.recordsAfter(author, 0, Integer.MAX_VALUE)) {
        byEntry.computeIfAbsent(record.id(), k -> new ArrayList<>()).add(record);
      }
    }
    Set<List<?>> shown = new HashSet<>();
    collectContents(replica, FileId.ROOT, shown, 0);
    List<FileVersion> lost = new ArrayList<>();
    for (List<FileVersion> versions : byEntry.values()) {
      for (FileVersion v : versions) {
        if (v.type() != FileType.FILE
            || v.deleted()
            || RemoteApply.isCopy(v)
            || dominated(v, versions)
            || copyTakenOverByUser(replica, v)
            || shown.contains(v.chunks())) {
          continue;
        }
        lost.add(v);
      }
    }
    return lost;
  }

  private static boolean dominated(FileVersion v, List<FileVersion> versions) {
    for (FileVersion other : versions) {
      if (other != v
          && v.versionVector().compare(other.versionVector()) == VersionVector.Order.BEFORE) {
        return true;
      }
    }
    return false;
  }

  /** The copy that held this losing edit was deleted or edited by a user: gone on purpose. */
  private static boolean copyTakenOverByUser(Replica replica, FileVersion v) {
    return replica
        .head(RemoteApply.conflictCopyId(v))
        .map(copy -> copy.deleted() || !RemoteApply.isCopy(copy))
        .orElse(false);
  }

  private static void collectContents(
      Replica replica, FileId directory, Set<List<?>> out, int depth) {
    if (depth > 4096) {
      return;
    }
    for (FileVersion entry : replica.list(directory)) {
      if (entry.isDirectory()) {
        collectContents(replica, entry.id(), out, depth + 1);
      } else if (entry.type() == FileType.FILE) {
        out.add(entry.chunks());
      }
    }
  }
}
