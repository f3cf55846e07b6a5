package org.gossipdrive.engine.snapshot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.gossipdrive.engine.commit.RemoteApply;
import org.gossipdrive.engine.store.Frontiers;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileVersion;

/**
 * Writes every entry's frontier (the signed records no other supersedes) to a snapshot file:
 * directories first, each after its parent, then everything else.
 *
 * <p>The floor must be read before the frontiers: frontiers only ever move forward, so each one
 * read afterwards reflects every record the floor covers (held, or superseded by a newer record
 * that is itself in the file). Records newer than the floor may be in the file too; the receiver
 * holds them like any record that arrived early.
 */
public final class SnapshotTaker {
  private final Frontiers frontiers;

  public SnapshotTaker(Frontiers frontiers) {
    this.frontiers = frontiers;
  }

  /**
   * @param include which records may leave this device (e.g. not its own still held back)
   * @param heads per author, the record at its floor (ADR 33): written after the frontiers unless
   *     it is one of them, so that the receiver sees each floor named by a signed record it
   *     receives; a superseded one is kept there as history
   * @return the number of records written
   */
  public long write(
      Path file,
      Map<DeviceId, Long> floor,
      Predicate<FileVersion> include,
      Map<DeviceId, FileVersion> heads)
      throws IOException {
    // By author and sequence: the head read from the record log is another object than the
    // frontier member that may be the same record.
    Map<String, FileVersion> unwritten = new HashMap<>();
    heads.values().forEach(head -> unwritten.put(recordKey(head), head));
    Map<FileId, List<FileVersion>> directories = new HashMap<>();
    frontiers.forEach(
        (id, members) -> {
          if (members.stream().anyMatch(FileVersion::isDirectory)) {
            directories.put(id, members);
          }
        });
    try (SnapshotWriter writer = new SnapshotWriter(file, floor)) {
      for (FileId id : parentsFirst(directories)) {
        addAll(writer, directories.get(id), include, unwritten);
      }
      try {
        frontiers.forEach(
            (id, members) -> {
              if (!directories.containsKey(id)) {
                try {
                  addAll(writer, members, include, unwritten);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              }
            });
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      for (FileVersion head : unwritten.values()) {
        writer.add(head);
      }
      return writer.finish();
    }
  }

  /**
   * Writes an entry's members with the winning one first, so the receiver places the entry once,
   * where it ends: applying a losing member first would give it a passing name and place that may
   * clash with another entry's final one, and the receiver would resolve a clash that never was.
   */
  private static void addAll(
      SnapshotWriter writer,
      List<FileVersion> members,
      Predicate<FileVersion> include,
      Map<String, FileVersion> unwritten)
      throws IOException {
    List<FileVersion> ordered = new ArrayList<>(members.size());
    if (!members.isEmpty()) {
      FileVersion winner = RemoteApply.winnerOf(members);
      ordered.add(winner);
      members.stream().filter(m -> m != winner).forEach(ordered::add);
    }
    for (FileVersion member : ordered) {
      // Derived versions (no author sequence) are rebuilt by the receiver from the others.
      if (member.authorSequence() > 0 && include.test(member)) {
        writer.add(member);
        unwritten.remove(recordKey(member));
      }
    }
  }

  private static String recordKey(FileVersion record) {
    return record.author().value() + "#" + record.authorSequence();
  }

  /** Directory ids ordered so that each comes after the directory its members name as parent. */
  static List<FileId> parentsFirst(Map<FileId, List<FileVersion>> directories) {
    List<FileId> order = new ArrayList<>(directories.size());
    Set<FileId> placed = new HashSet<>();
    List<FileId> waiting = new ArrayList<>(directories.keySet());
    waiting.sort(null);
    while (!waiting.isEmpty()) {
      List<FileId> still = new ArrayList<>();
      for (FileId id : waiting) {
        boolean ready =
            directories.get(id).stream()
                .map(FileVersion::parent)
                .allMatch(p -> p.equals(id) || placed.contains(p) || !directories.containsKey(p));
        if (ready) {
          order.add(id);
          placed.add(id);
        } else {
          still.add(id);
        }
      }
      if (still.size() == waiting.size()) {
        order.addAll(still); // a cycle through concurrent moves: the receiver sorts it out
        break;
      }
      waiting = still;
    }
    return order;
  }
}
