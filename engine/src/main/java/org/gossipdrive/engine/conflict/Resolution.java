package org.gossipdrive.engine.conflict;

import java.util.Optional;
import org.gossipdrive.engine.tree.FileVersion;

/**
 * The outcome of comparing the local head with an incoming version of the same entry.
 *
 * @param winner the version that keeps the name
 * @param conflictCopy the concurrent edit that lost, to be kept under a conflict name
 */
public record Resolution(Outcome outcome, FileVersion winner, Optional<FileVersion> conflictCopy) {
  /** How the two versions relate. */
  public enum Outcome {
    /** The incoming version is the same or older: nothing to do. */
    KEEP_LOCAL,
    /** The incoming version descends from the local one: take it. */
    TAKE_REMOTE,
    /**
     * Concurrent: the winner keeps the name, the other survives as a conflict copy or was a delete.
     */
    CONFLICT
  }
}
