package org.gossipdrive.engine.tree;

/** A version as held by this replica: the version plus the local ledger sequence that stored it. */
public record StoredVersion(long sequence, FileVersion version) {
  public FileId id() {
    return version.id();
  }
}
