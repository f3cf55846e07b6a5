package org.gossipdrive.fs.daemon;

import java.util.ArrayList;
import java.util.List;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileVersion;

/**
 * The conflict copies on the drive ({@code gossipdrive conflicts}): files named {@code name
 * (conflict <device> <date time>).ext}, waiting for someone to compare and delete them.
 */
final class ConflictReport {
  private static final String MARK = " (conflict ";
  private static final int LIMIT = 10_000;

  private final Replica replica;

  ConflictReport(Replica replica) {
    this.replica = replica;
  }

  /** Paths of conflict copies, depth first, at most 10,000. */
  List<String> paths() {
    List<String> found = new ArrayList<>();
    walk(FileId.ROOT, "", found);
    return found;
  }

  private void walk(FileId directory, String prefix, List<String> found) {
    for (FileVersion child : replica.list(directory)) {
      if (found.size() >= LIMIT) {
        return;
      }
      String path = prefix + "/" + child.name();
      if (child.isDirectory()) {
        walk(child.id(), path, found);
      } else if (child.name().contains(MARK)) {
        found.add(path);
      }
    }
  }

  String json() {
    StringBuilder out = new StringBuilder("{\"conflicts\":[");
    String separator = "";
    for (String path : paths()) {
      out.append(separator).append(Json.quote(path));
      separator = ",";
    }
    return out.append("]}\n").toString();
  }

  String text() {
    List<String> paths = paths();
    if (paths.isEmpty()) {
      return "no conflict copies\n";
    }
    StringBuilder out = new StringBuilder();
    paths.forEach(p -> out.append(TerminalText.escape(p)).append('\n'));
    return out.toString();
  }
}
