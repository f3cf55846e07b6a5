package org.gossipdrive.engine.commit;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileType;
import org.gossipdrive.engine.tree.FileVersion;
import org.gossipdrive.engine.tree.TreeException;
import org.gossipdrive.engine.tree.TreeException.Reason;

/** The invariants every new head must keep, whoever produced it. */
final class TreeRules {
  static final int MAX_NAME_BYTES = 255;

  private TreeRules() {}

  static void check(TreeView view, FileVersion next) {
    if (next.id().isRoot()) {
      if (next.deleted() || next.type() != FileType.DIRECTORY) {
        throw new TreeException(
            Reason.INVALID_MOVE, "the root directory cannot be removed or replaced");
      }
      return;
    }
    checkName(next.name());
    if (next.deleted()) {
      if (next.isDirectory() && view.hasLiveChildren(next.id())) {
        throw new TreeException(Reason.NOT_EMPTY, "directory " + next.name() + " is not empty");
      }
      return;
    }
    FileVersion parent =
        view.head(next.parent())
            .filter(p -> !p.deleted())
            .orElseThrow(
                () ->
                    new TreeException(
                        Reason.NOT_FOUND, "the parent of " + next.name() + " does not exist"));
    if (!parent.isDirectory()) {
      throw new TreeException(Reason.NOT_A_DIRECTORY, parent.name() + " is not a directory");
    }
    Optional<FileVersion> occupant = view.child(next.parent(), next.name());
    if (occupant.isPresent() && !occupant.get().id().equals(next.id())) {
      throw new TreeException(Reason.ALREADY_EXISTS, next.name() + " already exists");
    }
    if (next.isDirectory()) {
      checkNoCycle(view, next);
    }
    long total = next.chunks().stream().mapToLong(c -> c.length()).sum();
    if (next.type() == FileType.FILE && total != next.size()) {
      throw new IllegalArgumentException("size " + next.size() + " does not match chunks " + total);
    }
  }

  static void checkName(String name) {
    if (name.isEmpty()
        || name.equals(".")
        || name.equals("..")
        || name.indexOf('/') >= 0
        || name.indexOf('\0') >= 0) {
      throw new TreeException(Reason.INVALID_NAME, "invalid file name: \"" + name + "\"");
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      throw new TreeException(
          Reason.NAME_TOO_LONG, "file name longer than " + MAX_NAME_BYTES + " bytes");
    }
  }

  private static void checkNoCycle(TreeView view, FileVersion directory) {
    Set<FileId> seen = new HashSet<>();
    FileId current = directory.parent();
    while (!current.isRoot()) {
      if (current.equals(directory.id()) || !seen.add(current)) {
        throw new TreeException(
            Reason.INVALID_MOVE, "cannot move " + directory.name() + " inside itself");
      }
      current = view.head(current).map(FileVersion::parent).orElse(FileId.ROOT);
    }
  }
}
