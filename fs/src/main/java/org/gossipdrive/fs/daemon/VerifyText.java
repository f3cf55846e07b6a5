package org.gossipdrive.fs.daemon;

import org.gossipdrive.engine.maintenance.Problem;
import org.gossipdrive.engine.maintenance.VerifyReport;

/** A verification report as the CLI prints it, in text or JSON. */
record VerifyText(VerifyReport report) {
  String text() {
    StringBuilder out = new StringBuilder();
    out.append(report.ok() ? "OK" : "DAMAGED")
        .append(": ")
        .append(report.chunksChecked())
        .append(" chunks (")
        .append(report.chunkBytesChecked())
        .append(" bytes), ")
        .append(report.versionsChecked())
        .append(" versions, ")
        .append(report.ledgerEntriesChecked())
        .append(" ledger entries checked\n");
    for (Problem problem : report.problems()) {
      out.append(problem).append('\n');
    }
    return out.toString();
  }

  String json() {
    StringBuilder out = new StringBuilder("{\"ok\":").append(report.ok());
    out.append(",\"chunks\":").append(report.chunksChecked());
    out.append(",\"chunkBytes\":").append(report.chunkBytesChecked());
    out.append(",\"versions\":").append(report.versionsChecked());
    out.append(",\"ledgerEntries\":").append(report.ledgerEntriesChecked());
    out.append(",\"problems\":[");
    String separator = "";
    for (Problem problem : report.problems()) {
      out.append(separator).append("{\"severity\":").append(Json.quote(problem.severity().name()));
      out.append(",\"kind\":").append(Json.quote(problem.kind().name()));
      out.append(",\"subject\":").append(Json.quote(problem.subject()));
      out.append(",\"detail\":").append(Json.quote(problem.detail())).append('}');
      separator = ",";
    }
    return out.append("]}\n").toString();
  }
}
