package org.gossipdrive.engine.commit;

import java.util.List;
import org.gossipdrive.engine.tree.StoredVersion;

/** What a commit stored: its ledger sequence and the new versions it made heads. */
public record CommitResult(long sequence, List<StoredVersion> versions) {
  public CommitResult {
    versions = List.copyOf(versions);
  }

  /** The single version of a one-entry change. */
  public StoredVersion only() {
    if (versions.size() != 1) {
      throw new IllegalStateException("commit stored " + versions.size() + " versions");
    }
    return versions.getFirst();
  }
}
