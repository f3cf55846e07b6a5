package org.gossipdrive.engine.commit;

import java.util.List;
import org.gossipdrive.engine.tree.FileVersion;

/**
 * A change to the tree, computed against the current state at commit time (so concurrent local
 * edits of one file are ordered, not lost). Returns the new heads; the committer checks them
 * against the tree's rules and stamps nothing itself.
 */
@FunctionalInterface
public interface Mutation {
  List<FileVersion> apply(TreeView view, Stamper stamper);
}
