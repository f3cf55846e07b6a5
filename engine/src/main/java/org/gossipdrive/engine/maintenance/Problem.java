package org.gossipdrive.engine.maintenance;

/**
 * One finding of {@link Verifier}.
 *
 * @param subject what is affected, e.g. "chunk 3fa2…" or "ledger entry #12"
 */
public record Problem(Severity severity, Kind kind, String subject, String detail) {
  /** Errors mean data is damaged or inconsistent; warnings mean wasted space only. */
  public enum Severity {
    ERROR,
    WARNING
  }

  /** The category of a finding. */
  public enum Kind {
    CORRUPT_CHUNK,
    MISSING_CHUNK,
    WRONG_REFERENCE_COUNT,
    UNREFERENCED_CHUNK,
    CORRUPT_RECORD,
    BROKEN_CHAIN,
    TREE_INCONSISTENT
  }

  @Override
  public String toString() {
    return severity + " " + kind + " " + subject + ": " + detail;
  }
}
