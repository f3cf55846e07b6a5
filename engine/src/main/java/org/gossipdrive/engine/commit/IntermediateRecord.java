package org.gossipdrive.engine.commit;

import java.util.List;
import org.gossipdrive.engine.tree.FileVersion;

/**
 * A record of an atomic change that a later record of the same change supersedes (a save's
 * temporary file while it still had its temporary name). It is kept as a record, so this device
 * holds every record of its author without gaps, but never becomes a head: the change's in-between
 * states, such as a temporary name that clashes with a local file, never touch the tree here.
 */
public final class IntermediateRecord implements Mutation, RecordCarrier {
  private final FileVersion record;
  private final List<FileVersion> toLog = new java.util.ArrayList<>();
  private ApplyOutcome outcome;

  public IntermediateRecord(FileVersion record) {
    this.record = record;
  }

  public ApplyOutcome outcome() {
    return outcome;
  }

  @Override
  public List<FileVersion> recordsToLog() {
    return toLog;
  }

  @Override
  public List<FileVersion> apply(TreeView view, Stamper stamper) {
    toLog.clear();
    if (view.knowsRecord(record.author(), record.authorSequence())) {
      outcome = ApplyOutcome.DUPLICATE;
      return List.of();
    }
    toLog.add(record);
    outcome = ApplyOutcome.KEPT_LOCAL;
    return List.of();
  }
}
