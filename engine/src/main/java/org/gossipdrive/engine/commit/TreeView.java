package org.gossipdrive.engine.commit;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.gossipdrive.engine.store.TreeIndex;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileVersion;
import org.gossipdrive.engine.tree.StoredVersion;

/**
 * The tree as the committer sees it while building a group: what is on disk plus the changes
 * already accepted into the group but not yet written.
 */
public final class TreeView {
  private record Place(FileId parent, String name) {}

  private final TreeIndex index;
  private final Map<FileId, StoredVersion> heads = new HashMap<>();

  /** A present key with an empty value means "removed in this group". */
  private final Map<Place, Optional<FileId>> children = new HashMap<>();

  /** Undo log, so a transaction refused half-way leaves no trace in the group. */
  private final java.util.ArrayList<Runnable> undo = new java.util.ArrayList<>();

  TreeView(TreeIndex index) {
    this.index = index;
  }

  public Optional<FileVersion> head(FileId id) {
    return stored(id).map(StoredVersion::version);
  }

  Optional<StoredVersion> stored(FileId id) {
    StoredVersion pending = heads.get(id);
    return pending != null ? Optional.of(pending) : index.head(id);
  }

  /** The live entry called {@code name} in {@code directory}. */
  public Optional<FileVersion> child(FileId directory, String name) {
    Optional<FileId> pending = children.get(new Place(directory, name));
    Optional<FileId> id = pending != null ? pending : index.child(directory, name);
    return id.flatMap(this::head);
  }

  public boolean hasLiveChildren(FileId directory) {
    for (Map.Entry<Place, Optional<FileId>> entry : children.entrySet()) {
      if (entry.getKey().parent().equals(directory) && entry.getValue().isPresent()) {
        return true;
      }
    }
    for (String name : index.childNames(directory)) {
      Optional<FileId> pending = children.get(new Place(directory, name));
      if (pending == null || pending.isPresent()) {
        return true;
      }
    }
    return false;
  }

  void accept(StoredVersion next, Optional<StoredVersion> previous) {
    remember(heads, next.id(), next);
    previous
        .filter(p -> !p.version().deleted())
        .ifPresent(
            p ->
                remember(
                    children,
                    new Place(p.version().parent(), p.version().name()),
                    Optional.empty()));
    FileVersion v = next.version();
    if (!v.deleted() && !v.id().isRoot()) {
      remember(children, new Place(v.parent(), v.name()), Optional.of(v.id()));
    }
  }

  private <K, V> void remember(Map<K, V> map, K key, V value) {
    boolean had = map.containsKey(key);
    V old = map.put(key, value);
    undo.add(
        () -> {
          if (had) {
            map.put(key, old);
          } else {
            map.remove(key);
          }
        });
  }

  int savepoint() {
    return undo.size();
  }

  void rollback(int savepoint) {
    while (undo.size() > savepoint) {
      undo.remove(undo.size() - 1).run();
    }
  }

  void clear() {
    heads.clear();
    children.clear();
    undo.clear();
  }
}
