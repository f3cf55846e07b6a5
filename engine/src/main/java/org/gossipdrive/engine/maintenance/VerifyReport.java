package org.gossipdrive.engine.maintenance;

import java.util.List;

/** The result of a full verification walk. */
public record VerifyReport(
    List<Problem> problems,
    long chunksChecked,
    long chunkBytesChecked,
    long versionsChecked,
    long ledgerEntriesChecked) {
  public VerifyReport {
    problems = List.copyOf(problems);
  }

  /** True when nothing is damaged or inconsistent (warnings allowed). */
  public boolean ok() {
    return problems.stream().noneMatch(p -> p.severity() == Problem.Severity.ERROR);
  }

  public List<Problem> errors() {
    return problems.stream().filter(p -> p.severity() == Problem.Severity.ERROR).toList();
  }
}
