package org.gossipdrive.engine.commit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.gossipdrive.engine.tree.ChunkRef;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileType;
import org.gossipdrive.engine.tree.FileVersion;
import org.gossipdrive.engine.tree.HybridTimestamp;
import org.gossipdrive.engine.tree.TreeException;
import org.gossipdrive.engine.tree.TreeException.Reason;
import org.gossipdrive.engine.tree.VersionVector;

/** The local edits the drive makes, each as a {@link Mutation}. */
public final class Mutations {
  private Mutations() {}

  /** The new content of a file. */
  public record Content(List<ChunkRef> chunks, long size) {}

  /** Creates {@code name} in {@code parent}, or gives the existing file there new content. */
  public static Mutation writeFile(
      FileId parent, String name, Content content, int mode, long mtimeNanos) {
    return (view, stamper) -> {
      Optional<FileVersion> existing = view.child(parent, name);
      if (existing.isPresent()) {
        FileVersion old = existing.get();
        if (old.type() != FileType.FILE) {
          throw new TreeException(
              Reason.IS_A_DIRECTORY, name + " exists and is not a regular file");
        }
        return List.of(stamper.stamp(withContent(old, content, mtimeNanos), existing));
      }
      FileVersion draft =
          draft(FileId.random(), parent, name, FileType.FILE, mode, mtimeNanos, content, "");
      return List.of(stamper.stamp(draft, Optional.empty()));
    };
  }

  /** Creates a new, empty entry; fails if the name is taken (O_EXCL semantics). */
  public static Mutation create(
      FileId id,
      FileId parent,
      String name,
      FileType type,
      int mode,
      long mtimeNanos,
      String symlinkTarget) {
    return (view, stamper) -> {
      if (view.head(id).isPresent()) {
        throw new TreeException(Reason.ALREADY_EXISTS, "file id " + id + " is already used");
      }
      if (view.child(parent, name).isPresent()) {
        throw new TreeException(Reason.ALREADY_EXISTS, name + " already exists");
      }
      Content empty = new Content(List.of(), 0);
      return List.of(
          stamper.stamp(
              draft(id, parent, name, type, mode, mtimeNanos, empty, symlinkTarget),
              Optional.empty()));
    };
  }

  /**
   * Creates a new regular file with its content in one version; fails if the name is taken. The
   * drive creates small files this way at their first close: one commit, not an empty file first.
   */
  public static Mutation createFile(
      FileId id, FileId parent, String name, int mode, Content content, long mtimeNanos) {
    return (view, stamper) -> {
      if (view.head(id).isPresent()) {
        throw new TreeException(Reason.ALREADY_EXISTS, "file id " + id + " is already used");
      }
      if (view.child(parent, name).isPresent()) {
        throw new TreeException(Reason.ALREADY_EXISTS, name + " already exists");
      }
      return List.of(
          stamper.stamp(
              draft(id, parent, name, FileType.FILE, mode, mtimeNanos, content, ""),
              Optional.empty()));
    };
  }

  /**
   * What a new, empty regular file will look like before it is committed: not stamped, never stored
   * or sent, only shown (the drive answers getattr on a file created and not yet closed).
   */
  public static FileVersion unstampedFile(
      FileId id, FileId parent, String name, int mode, long mtimeNanos) {
    return draft(id, parent, name, FileType.FILE, mode, mtimeNanos, new Content(List.of(), 0), "");
  }

  /** Replaces the content of an existing file, keeping its place and attributes. */
  public static Mutation replaceContent(FileId id, Content content, long mtimeNanos) {
    return (view, stamper) -> {
      FileVersion old = live(view, id);
      if (old.type() != FileType.FILE) {
        throw new TreeException(Reason.IS_A_DIRECTORY, old.name() + " is not a regular file");
      }
      return List.of(stamper.stamp(withContent(old, content, mtimeNanos), Optional.of(old)));
    };
  }

  /** Deletes an entry (a directory only when empty), leaving a tombstone. */
  public static Mutation delete(FileId id) {
    return (view, stamper) -> {
      FileVersion old = live(view, id);
      return List.of(stamper.stamp(old.asDeleted(), Optional.of(old)));
    };
  }

  /**
   * Moves an entry. With {@code replace}, an entry already at the destination is deleted in the
   * same atomic step (POSIX rename); without it the move fails if the name is taken.
   */
  public static Mutation move(FileId id, FileId newParent, String newName, boolean replace) {
    return (view, stamper) -> {
      FileVersion old = live(view, id);
      List<FileVersion> heads = new ArrayList<>();
      Optional<FileVersion> occupant =
          view.child(newParent, newName).filter(o -> !o.id().equals(id));
      if (occupant.isPresent()) {
        FileVersion target = occupant.get();
        if (!replace) {
          throw new TreeException(Reason.ALREADY_EXISTS, newName + " already exists");
        }
        if (old.isDirectory() != target.isDirectory()) {
          throw new TreeException(
              old.isDirectory() ? Reason.NOT_A_DIRECTORY : Reason.IS_A_DIRECTORY,
              "cannot replace " + newName + " with an entry of another kind");
        }
        heads.add(stamper.stamp(target.asDeleted(), occupant));
      }
      heads.add(stamper.stamp(old.withPlace(newParent, newName), Optional.of(old)));
      return heads;
    };
  }

  /** Changes mode, modification time and extended attributes (null keeps the current value). */
  public static Mutation setAttributes(
      FileId id, Integer mode, Long mtimeNanos, SortedMap<String, byte[]> xattrs) {
    return (view, stamper) -> {
      FileVersion old = live(view, id);
      FileVersion draft =
          old.withAttributes(
              mode != null ? mode : old.mode(),
              mtimeNanos != null ? mtimeNanos : old.mtimeNanos(),
              xattrs != null ? xattrs : old.xattrs());
      return List.of(stamper.stamp(draft, Optional.of(old)));
    };
  }

  /** The root directory, written once when a replica is created. */
  static FileVersion rootDraft(long mtimeNanos) {
    return draft(
        FileId.ROOT,
        FileId.ROOT,
        "",
        FileType.DIRECTORY,
        0755,
        mtimeNanos,
        new Content(List.of(), 0),
        "");
  }

  public static Mutation createRoot(long mtimeNanos) {
    return (view, stamper) -> {
      if (view.head(FileId.ROOT).isPresent()) {
        throw new TreeException(Reason.ALREADY_EXISTS, "the root exists");
      }
      return List.of(stamper.stamp(rootDraft(mtimeNanos), Optional.empty()));
    };
  }

  private static FileVersion live(TreeView view, FileId id) {
    return view.head(id)
        .filter(v -> !v.deleted())
        .orElseThrow(() -> new TreeException(Reason.NOT_FOUND, "file " + id + " does not exist"));
  }

  /**
   * A user's edit of a conflict copy makes it an ordinary file (it no longer follows the loser).
   */
  private static FileVersion withContent(FileVersion old, Content content, long mtimeNanos) {
    FileVersion edited = old.withContent(content.chunks(), content.size(), mtimeNanos);
    if (!edited.xattrs().containsKey(RemoteApply.COPY_MARK)) {
      return edited;
    }
    java.util.TreeMap<String, byte[]> plain = new java.util.TreeMap<>(edited.xattrs());
    plain.remove(RemoteApply.COPY_MARK);
    return edited.withAttributes(edited.mode(), edited.mtimeNanos(), plain);
  }

  private static FileVersion draft(
      FileId id,
      FileId parent,
      String name,
      FileType type,
      int mode,
      long mtimeNanos,
      Content content,
      String target) {
    return new FileVersion(
        id,
        parent,
        name,
        type,
        false,
        mode,
        mtimeNanos,
        content.size(),
        content.chunks(),
        target,
        new TreeMap<>(),
        VersionVector.EMPTY,
        HybridTimestamp.ZERO,
        new org.gossipdrive.engine.tree.DeviceId("unstamped"),
        0,
        new byte[0]);
  }
}
