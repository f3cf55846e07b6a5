package org.gossipdrive.engine.tree;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One version of one tree entry, as authored by one device. Immutable. A delete is a version with
 * {@code deleted} set (a tombstone), so it replicates and orders like any other change.
 *
 * @param mtimeNanos modification time, nanoseconds since the epoch
 * @param authorSequence the author's own count of versions it wrote (1, 2, 3...): replication asks
 *     peers for "everything by this author after N"
 * @param signature the author's Ed25519 signature over {@link VersionCodec#signedBytes}; empty
 *     until the network layer signs
 */
public record FileVersion(
    FileId id,
    FileId parent,
    String name,
    FileType type,
    boolean deleted,
    int mode,
    long mtimeNanos,
    long size,
    List<ChunkRef> chunks,
    String symlinkTarget,
    SortedMap<String, byte[]> xattrs,
    VersionVector versionVector,
    HybridTimestamp timestamp,
    DeviceId author,
    long authorSequence,
    byte[] signature) {

  public static final int MAX_NAME_BYTES = 1024;
  public static final int MAX_TARGET_BYTES = 4096;
  public static final int MAX_XATTRS = 128;
  public static final int MAX_XATTR_VALUE = 64 << 10;
  public static final int MAX_SIGNATURE = 256;

  /**
   * The largest file the drive holds, 1 EiB: far past any disk, so only a sparse file gets near it
   * (its holes cost nothing). A truncate or write past it fails with EFBIG.
   */
  public static final long MAX_SIZE = 1L << 60;

  public FileVersion {
    Objects.requireNonNull(id);
    Objects.requireNonNull(parent);
    Objects.requireNonNull(name);
    Objects.requireNonNull(type);
    Objects.requireNonNull(versionVector);
    Objects.requireNonNull(timestamp);
    Objects.requireNonNull(author);
    chunks = ChunkRef.canonical(chunks);
    symlinkTarget = symlinkTarget == null ? "" : symlinkTarget;
    xattrs = Collections.unmodifiableSortedMap(new TreeMap<>(xattrs));
    signature = signature == null ? new byte[0] : signature;
    if (size < 0 || size > MAX_SIZE) {
      throw new IllegalArgumentException("size " + size + " outside 0.." + MAX_SIZE);
    }
    if (authorSequence < 0) {
      throw new IllegalArgumentException("negative author sequence");
    }
  }

  /** The bytes held in chunks: the size less its holes (what {@code du} counts). */
  public long allocatedBytes() {
    long total = 0;
    for (ChunkRef chunk : chunks) {
      if (!chunk.isHole()) {
        total += chunk.length();
      }
    }
    return total;
  }

  /** The extents that name a stored chunk: every one but the holes. */
  public List<ChunkRef> storedChunks() {
    return hasHoles() ? chunks.stream().filter(c -> !c.isHole()).toList() : chunks;
  }

  /** Whether some of the content is a hole ({@link ChunkRef#hole}). */
  public boolean hasHoles() {
    for (ChunkRef chunk : chunks) {
      if (chunk.isHole()) {
        return true;
      }
    }
    return false;
  }

  public boolean isDirectory() {
    return type == FileType.DIRECTORY;
  }

  /** The same entry with a new name and parent (a rename keeps id and content). */
  public FileVersion withPlace(FileId newParent, String newName) {
    return new FileVersion(
        id,
        newParent,
        newName,
        type,
        deleted,
        mode,
        mtimeNanos,
        size,
        chunks,
        symlinkTarget,
        xattrs,
        versionVector,
        timestamp,
        author,
        authorSequence,
        signature);
  }

  /** The same entry stamped as a new local edit, unsigned until {@link #withSignature}. */
  public FileVersion stamped(
      VersionVector vector, HybridTimestamp stamp, DeviceId by, long bySequence) {
    return new FileVersion(
        id,
        parent,
        name,
        type,
        deleted,
        mode,
        mtimeNanos,
        size,
        chunks,
        symlinkTarget,
        xattrs,
        vector,
        stamp,
        by,
        bySequence,
        new byte[0]);
  }

  /**
   * This version's content under a merged version vector, as a head derived locally from concurrent
   * records (not an authored record: no sequence, no signature). Every replica that holds the same
   * records derives the same head.
   */
  public FileVersion derived(VersionVector mergedVector) {
    return new FileVersion(
        id,
        parent,
        name,
        type,
        deleted,
        mode,
        mtimeNanos,
        size,
        chunks,
        symlinkTarget,
        xattrs,
        mergedVector,
        timestamp,
        author,
        0,
        new byte[0]);
  }

  /** The same content as a new entry (a conflict copy), with a fresh history. */
  public FileVersion copiedAs(FileId newId, FileId newParent, String newName) {
    return new FileVersion(
        newId,
        newParent,
        newName,
        type,
        false,
        mode,
        mtimeNanos,
        size,
        chunks,
        symlinkTarget,
        xattrs,
        VersionVector.EMPTY,
        timestamp,
        author,
        0,
        new byte[0]);
  }

  /** Whether two versions hold the same entry state (place, kind, content, attributes). */
  public boolean sameStateAs(FileVersion other) {
    return parent.equals(other.parent)
        && name.equals(other.name)
        && type == other.type
        && deleted == other.deleted
        && mode == other.mode
        && chunks.equals(other.chunks)
        && symlinkTarget.equals(other.symlinkTarget)
        && xattrs.keySet().equals(other.xattrs.keySet())
        && xattrs.keySet().stream()
            .allMatch(k -> java.util.Arrays.equals(xattrs.get(k), other.xattrs.get(k)));
  }

  /** A tombstone brought back (empty, with its place and kind), to be stamped as a new edit. */
  public FileVersion revived() {
    return new FileVersion(
        id,
        parent,
        name,
        type,
        false,
        mode,
        mtimeNanos,
        0,
        List.of(),
        symlinkTarget,
        xattrs,
        versionVector,
        timestamp,
        author,
        0,
        new byte[0]);
  }

  /** The same version carrying its author's signature. */
  public FileVersion withSignature(byte[] newSignature) {
    return new FileVersion(
        id,
        parent,
        name,
        type,
        deleted,
        mode,
        mtimeNanos,
        size,
        chunks,
        symlinkTarget,
        xattrs,
        versionVector,
        timestamp,
        author,
        authorSequence,
        newSignature);
  }

  /** The same entry with new content (the local edit is stamped separately). */
  public FileVersion withContent(List<ChunkRef> newChunks, long newSize, long newMtimeNanos) {
    return new FileVersion(
        id,
        parent,
        name,
        type,
        false,
        mode,
        newMtimeNanos,
        newSize,
        newChunks,
        "",
        xattrs,
        versionVector,
        timestamp,
        author,
        authorSequence,
        signature);
  }

  /** The same entry with new mode, modification time and extended attributes. */
  public FileVersion withAttributes(
      int newMode, long newMtimeNanos, SortedMap<String, byte[]> newXattrs) {
    return new FileVersion(
        id,
        parent,
        name,
        type,
        deleted,
        newMode,
        newMtimeNanos,
        size,
        chunks,
        symlinkTarget,
        newXattrs,
        versionVector,
        timestamp,
        author,
        authorSequence,
        signature);
  }

  /** A tombstone for this entry. */
  public FileVersion asDeleted() {
    // Internal marks (gossipdrive.*) survive a delete; user data does not.
    TreeMap<String, byte[]> kept = new TreeMap<>();
    xattrs.forEach(
        (key, value) -> {
          if (key.startsWith("gossipdrive.")) {
            kept.put(key, value);
          }
        });
    return new FileVersion(
        id,
        parent,
        name,
        type,
        true,
        mode,
        mtimeNanos,
        0,
        List.of(),
        "",
        kept,
        versionVector,
        timestamp,
        author,
        authorSequence,
        signature);
  }
}
