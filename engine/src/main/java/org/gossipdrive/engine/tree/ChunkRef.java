package org.gossipdrive.engine.tree;

import java.util.ArrayList;
import java.util.List;
import org.gossipdrive.engine.hash.ChunkId;

/**
 * One extent of a file's ordered content: a stored chunk, or a hole. A hole is a run of zeros that
 * was never written (a truncate past the end, a write past the end, a punched range): it has no
 * chunk, costs no hashing, no storage and no transfer, and may be far longer than any chunk.
 *
 * @param id the chunk's hash; {@link ChunkId#HOLE} for a hole
 * @param length bytes; at most one chunk's limit for a chunk, up to {@link FileVersion#MAX_SIZE}
 *     for a hole
 */
public record ChunkRef(ChunkId id, long length) {
  public ChunkRef {
    java.util.Objects.requireNonNull(id);
    if (length <= 0) {
      throw new IllegalArgumentException("an extent has a positive length, got " + length);
    }
  }

  /** A hole of {@code length} zero bytes. */
  public static ChunkRef hole(long length) {
    return new ChunkRef(ChunkId.HOLE, length);
  }

  public boolean isHole() {
    return id.equals(ChunkId.HOLE);
  }

  /**
   * An immutable copy of {@code extents} with neighbouring holes merged into one, so one content
   * has one extent list, one encoding and one signature.
   */
  public static List<ChunkRef> canonical(List<ChunkRef> extents) {
    boolean merge = false;
    for (int i = 1; i < extents.size() && !merge; i++) {
      merge = extents.get(i).isHole() && extents.get(i - 1).isHole();
    }
    if (!merge) {
      return List.copyOf(extents);
    }
    List<ChunkRef> merged = new ArrayList<>(extents.size());
    for (ChunkRef extent : extents) {
      int last = merged.size() - 1;
      if (extent.isHole() && last >= 0 && merged.get(last).isHole()) {
        merged.set(last, hole(Math.addExact(merged.get(last).length(), extent.length())));
      } else {
        merged.add(extent);
      }
    }
    return List.copyOf(merged);
  }
}
