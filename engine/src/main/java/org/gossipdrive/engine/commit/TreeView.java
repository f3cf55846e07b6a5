package org.gossipdrive.engine.commit;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gossipdrive.engine.store.Frontiers;
import org.gossipdrive.engine.store.RecordLog;
import org.gossipdrive.engine.store.TreeIndex;
import org.gossipdrive.engine.tree.DeviceId;
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
  private final RecordLog records;
  private final Frontiers frontiers;
  private final Map<FileId, List<FileVersion>> frontierChanges = new java.util.LinkedHashMap<>();
  private final Map<FileId, StoredVersion> heads = new HashMap<>();
  private final java.util.Set<String> recordsInGroup = new java.util.HashSet<>();

  /** A present key with an empty value means "removed in this group". */
  private final Map<Place, Optional<FileId>> children = new HashMap<>();

  /** Undo log, so a transaction refused half-way leaves no trace in the group. */
  private final java.util.ArrayList<Runnable> undo = new java.util.ArrayList<>();

  TreeView(TreeIndex index, RecordLog records, Frontiers frontiers) {
    this.index = index;
    this.records = records;
    this.frontiers = frontiers;
  }

  /** The records of an entry that nothing supersedes, including this group's changes. */
  public List<FileVersion> frontier(FileId id) {
    List<FileVersion> pending = frontierChanges.get(id);
    return pending != null ? pending : frontiers.get(id);
  }

  /** Adds an authored record to its entry's frontier. */
  void addToFrontier(FileVersion record) {
    List<FileVersion> next = Frontiers.with(frontier(record.id()), record);
    remember(frontierChanges, record.id(), next);
  }

  /** The frontiers changed by this group, to write with it. */
  Map<FileId, List<FileVersion>> frontierChanges() {
    return frontierChanges;
  }

  /** Whether this replica already holds the record (on disk, or earlier in this group). */
  public boolean knowsRecord(DeviceId author, long sequence) {
    return recordsInGroup.contains(author.value() + "#" + sequence)
        || records.contains(author, sequence);
  }

  /** Notes a record logged by this group (undone if its change is refused). */
  void noteRecord(FileVersion record) {
    String key = record.author().value() + "#" + record.authorSequence();
    if (recordsInGroup.add(key)) {
      undo.add(() -> recordsInGroup.remove(key));
    }
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
    frontierChanges.clear();
    recordsInGroup.clear();
    heads.clear();
    children.clear();
    undo.clear();
  }
}
