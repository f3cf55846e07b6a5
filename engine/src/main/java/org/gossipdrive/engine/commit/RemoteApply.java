package org.gossipdrive.engine.commit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.gossipdrive.engine.conflict.ConflictRules;
import org.gossipdrive.engine.hash.Hashing;
import org.gossipdrive.engine.store.Frontiers;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileVersion;
import org.gossipdrive.engine.tree.VersionVector;

/**
 * Applies one signed record from another device (checked by the caller) against the local tree, by
 * the rules of ADR 14:
 *
 * <ul>
 *   <li>held already: nothing; older or equal: kept as a record only; newer: becomes the head;
 *   <li>concurrent: identical state is no conflict; an edit beats a delete; between two edits the
 *       earliest (clock, device) keeps the name and the other is kept as a conflict copy. The head
 *       then carries the merged version vector, so later local edits descend from both;
 *   <li>conflict copies, revived parents and renames out of a name collision are ordinary local
 *       edits: signed, numbered and replicated, so every peer ends with the same tree. Their ids
 *       and names derive from the records involved, so peers that detect the same conflict make
 *       identical edits, which meet as "identical state".
 * </ul>
 */
public final class RemoteApply implements Mutation, RecordCarrier {
  private final FileVersion record;
  private final Function<DeviceId, String> deviceNames;
  private final List<FileVersion> toLog = new ArrayList<>();

  /** Names given out during this application, so two new heads never take the same one. */
  private final java.util.Set<String> claimed = new java.util.HashSet<>();

  private ApplyOutcome outcome;

  private final java.util.function.Predicate<FileVersion> resolvedBySender;
  private final java.util.function.Predicate<FileId> localWork;

  /**
   * @param resolvedBySender versions whose conflicts the sender already resolved: when they lose,
   *     no copy is made here (the sender's copy, or what its user did with it, arrives as records
   *     of its own). Only snapshots say so; for a record pushed or replayed it is always false.
   * @param localWork entries holding work in progress on this device (a save's temporary file, a
   *     file with uncommitted writes): an arriving entry never takes their name, and a new version
   *     of one of them is also kept as a conflict copy, since the local work will replace it
   */
  public RemoteApply(
      FileVersion record,
      Function<DeviceId, String> deviceNames,
      java.util.function.Predicate<FileVersion> resolvedBySender,
      java.util.function.Predicate<FileId> localWork) {
    this.record = record;
    this.deviceNames = deviceNames;
    this.resolvedBySender = resolvedBySender;
    this.localWork = localWork;
  }

  public ApplyOutcome outcome() {
    return outcome;
  }

  @Override
  public List<FileVersion> recordsToLog() {
    return toLog;
  }

  @Override
  public List<FileVersion> apply(TreeView view, Stamper stamper) {
    toLog.clear();
    claimed.clear();
    if (view.knowsRecord(record.author(), record.authorSequence())) {
      outcome = ApplyOutcome.DUPLICATE;
      return List.of();
    }
    List<FileVersion> before = view.frontier(record.id());
    List<FileVersion> after = Frontiers.with(before, record);
    if (after == before) {
      outcome = ApplyOutcome.KEPT_LOCAL; // something held already supersedes it
      toLog.add(record);
      return List.of();
    }
    List<FileVersion> live = after.stream().filter(v -> !v.deleted()).toList();
    FileVersion winner = winnerOf(after);
    VersionVector merged =
        after.stream()
            .map(FileVersion::versionVector)
            .reduce(VersionVector.EMPTY, VersionVector::merge);
    FileVersion head = after.size() == 1 ? record : winner.derived(merged);
    outcome = after.size() == 1 ? ApplyOutcome.APPLIED : ApplyOutcome.CONFLICT;
    List<FileVersion> heads = place(view, stamper, head);
    if (outcome == ApplyOutcome.PARENT_MISSING) {
      return List.of();
    }
    for (FileVersion placed : heads) {
      if (!placed.deleted()) {
        claimed.add(placed.parent() + "/" + placed.name());
      }
    }
    if (heads.stream().noneMatch(h -> h == record)) {
      toLog.add(record);
    }
    for (FileVersion loser : live) {
      if (loser != winner && needsCopy(winner, loser) && !resolvedBySender.test(loser)) {
        conflictCopy(view, stamper, loser, heads).ifPresent(heads::add);
      }
    }
    keepBesideLocalWork(view, stamper, before, heads);
    return heads;
  }

  /**
   * A peer's new content for a file that holds uncommitted work here: the local commit will replace
   * it (an app here is writing the file), so it is kept as a conflict copy named after its author,
   * never only in history.
   */
  private void keepBesideLocalWork(
      TreeView view, Stamper stamper, List<FileVersion> before, List<FileVersion> heads) {
    if (record.deleted() || record.type() != org.gossipdrive.engine.tree.FileType.FILE) {
      return;
    }
    boolean newContent =
        heads.stream().anyMatch(h -> h.id().equals(record.id()) && !h.deleted())
            && before.stream().noneMatch(v -> v.chunks().equals(record.chunks()));
    if (newContent && !isCopy(record) && localWork.test(record.id())) {
      boolean copied = heads.stream().anyMatch(h -> h.id().equals(conflictCopyId(record)));
      if (!copied) {
        conflictCopy(view, stamper, record, heads).ifPresent(heads::add);
      }
    }
  }

  /**
   * The member of a frontier whose content and place the head takes. The head is a function of the
   * frontier alone: edits beat deletes, then the earliest (clock, device) wins; with several
   * members it carries their merged version vector.
   */
  public static FileVersion winnerOf(List<FileVersion> frontier) {
    List<FileVersion> live = frontier.stream().filter(v -> !v.deleted()).toList();
    List<FileVersion> candidates = live.isEmpty() ? frontier : live;
    // Versions of a conflict copy hold successive losing edits of one author: the newest wins.
    return candidates.stream().allMatch(RemoteApply::isCopy)
        ? candidates.stream()
            .max(
                java.util.Comparator.comparingLong(RemoteApply::copySource)
                    .thenComparing(ConflictRules.PRECEDENCE.reversed()))
            .orElseThrow()
        : candidates.stream().min(ConflictRules.PRECEDENCE).orElseThrow();
  }

  /**
   * Only diverging file content needs a copy: a directory's content is its children, a concurrent
   * rename of the same content loses nothing, and a conflict copy never spawns a copy of itself
   * (its concurrent versions differ only by which losing edit they hold).
   */
  private static boolean needsCopy(FileVersion a, FileVersion b) {
    boolean sameContent =
        a.type() == b.type()
            && a.chunks().equals(b.chunks())
            && a.symlinkTarget().equals(b.symlinkTarget());
    return !sameContent && !a.isDirectory() && !b.isDirectory() && !(isCopy(a) && isCopy(b));
  }

  static final String COPY_MARK = "gossipdrive.conflict-copy-of";

  /** Whether {@code v} is a version of a conflict copy this rule made. */
  public static boolean isCopy(FileVersion v) {
    return v.xattrs().containsKey(COPY_MARK);
  }

  /** The author sequence of the losing edit a copy holds. */
  private static long copySource(FileVersion copy) {
    byte[] mark = copy.xattrs().get(COPY_MARK);
    return mark == null || mark.length < 8
        ? 0
        : java.nio.ByteBuffer.wrap(mark, mark.length - 8, 8).getLong();
  }

  /** The heads that put {@code version} in the tree, reviving its parent or renaming a clash. */
  private List<FileVersion> place(TreeView view, Stamper stamper, FileVersion version) {
    List<FileVersion> heads = new ArrayList<>();
    if (version.deleted()) {
      Optional<FileVersion> mine = view.head(version.id()).filter(m -> !m.deleted());
      if (version.isDirectory() && mine.isPresent() && view.hasLiveChildren(version.id())) {
        // Children were added concurrently: edit beats delete, the directory stays.
        heads.add(mine.get().derived(mine.get().versionVector().merge(version.versionVector())));
        return heads;
      }
      heads.add(version);
      return heads;
    }
    if (!version.parent().equals(version.id())) {
      Optional<FileVersion> parent = view.head(version.parent());
      if (parent.isEmpty()) {
        outcome = ApplyOutcome.PARENT_MISSING;
        toLog.clear();
        return List.of();
      }
      reviveAncestors(view, stamper, parent.get(), heads);
    }
    Optional<FileVersion> occupant =
        view.child(version.parent(), version.name()).filter(o -> !o.id().equals(version.id()));
    if (occupant.isPresent() && !version.id().isRoot()) {
      FileVersion other = occupant.get();
      // File ids are stable and the same everywhere; clocks change with every edit. Work in
      // progress here (a save's temporary file) keeps its name whatever its id.
      if (other.id().compareTo(version.id()) <= 0 || localWork.test(other.id())) {
        // The entry already here came first: the arriving one takes its conflict name.
        heads.add(
            stamper.stamp(
                version.withPlace(
                    version.parent(),
                    freeName(view, version.parent(), copyName(version), version.id())),
                Optional.of(version)));
        return heads;
      }
      heads.add(
          stamper.stamp(
              other.withPlace(
                  other.parent(), freeName(view, other.parent(), copyName(other), other.id())),
              Optional.of(other)));
    }
    heads.add(version);
    return heads;
  }

  private void reviveAncestors(
      TreeView view, Stamper stamper, FileVersion parent, List<FileVersion> heads) {
    List<FileVersion> chain = new ArrayList<>();
    FileVersion current = parent;
    while (current.deleted() && !current.id().isRoot() && chain.size() < 256) {
      chain.add(0, current);
      Optional<FileVersion> up = view.head(current.parent());
      if (up.isEmpty()) {
        break;
      }
      current = up.get();
    }
    for (FileVersion tombstone : chain) {
      FileVersion alive = tombstone.revived();
      heads.add(stamper.stamp(alive, Optional.of(tombstone)));
    }
  }

  /**
   * The copy of a losing edit. One copy per file and losing author: a later losing edit by the same
   * author (it descends from the earlier one) updates that copy instead of making another.
   */
  private Optional<FileVersion> conflictCopy(
      TreeView view, Stamper stamper, FileVersion loser, List<FileVersion> pendingHeads) {
    FileId copyId = conflictCopyId(loser);
    // A head made earlier in this same application (e.g. a rename out of a clash) is the latest.
    Optional<FileVersion> current =
        pendingHeads.stream()
            .filter(h -> h.id().equals(copyId))
            .reduce((first, second) -> second)
            .or(() -> view.head(copyId));
    FileId parent =
        view.head(loser.parent()).filter(p -> !p.deleted() && p.isDirectory()).isPresent()
            ? loser.parent()
            : FileId.ROOT;
    Optional<FileVersion> existing = current.filter(c -> !c.deleted());
    Optional<FileVersion> deleted = current.filter(FileVersion::deleted);
    if (deleted.isPresent() && copySource(deleted.get()) >= loser.authorSequence()) {
      return Optional.empty(); // the user deleted this copy and nothing newer lost since
    }
    String name = freeName(view, parent, copyName(loser), copyId);
    java.util.TreeMap<String, byte[]> marked = new java.util.TreeMap<>(loser.xattrs());
    marked.put(
        COPY_MARK,
        java.nio.ByteBuffer.allocate(FileId.LENGTH + 8)
            .put(loser.id().toBytes())
            .putLong(loser.authorSequence())
            .array());
    FileVersion wanted =
        loser
            .copiedAs(copyId, parent, name)
            .withAttributes(loser.mode(), loser.mtimeNanos(), marked);
    if (existing.isPresent()) {
      FileVersion copy = existing.get();
      // The copy keeps its name and place; it only takes the newer losing content.
      java.util.TreeMap<String, byte[]> remarked = new java.util.TreeMap<>(copy.xattrs());
      remarked.put(COPY_MARK, marked.get(COPY_MARK));
      FileVersion updated =
          copy.withContent(loser.chunks(), loser.size(), loser.mtimeNanos())
              .withAttributes(copy.mode(), loser.mtimeNanos(), remarked);
      return copy.sameStateAs(updated)
          ? Optional.empty()
          : Optional.of(stamper.stamp(updated, existing));
    }
    return Optional.of(stamper.stamp(wanted, current));
  }

  private String copyName(FileVersion loser) {
    return ConflictRules.conflictCopyName(loser, deviceNames.apply(loser.author()));
  }

  /**
   * {@code name}, or when another entry holds it, the same with a number. Only pathological cases
   * (two conflicts of one file in the same second) ever need the number.
   */
  private String freeName(TreeView view, FileId parent, String name, FileId self) {
    String candidate = name;
    for (int n = 2; n < 1000; n++) {
      Optional<FileVersion> occupant = view.child(parent, candidate);
      boolean free = occupant.isEmpty() || occupant.get().id().equals(self);
      if (free && claimed.add(parent + "/" + candidate)) {
        return candidate;
      }
      int dot = name.lastIndexOf('.');
      candidate = dot > 0 ? name.substring(0, dot) + " " + n + name.substring(dot) : name + " " + n;
    }
    return candidate;
  }

  /** The same id on every peer for the copy of one author's losing edits of one file. */
  public static FileId conflictCopyId(FileVersion loser) {
    byte[] hash =
        Hashing.blake3()
            .hash(
                ("conflict " + loser.id() + " " + loser.author()).getBytes(StandardCharsets.UTF_8));
    hash[0] |= 1; // never the root
    return FileId.of(hash, 0);
  }
}
