package org.gossipdrive.engine.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileType;
import org.gossipdrive.engine.tree.FileVersion;
import org.gossipdrive.engine.tree.HybridTimestamp;
import org.gossipdrive.engine.tree.VersionVector;
import org.junit.jupiter.api.Test;

class SnapshotTakerTest {
  private static FileVersion directory(FileId id, FileId parent) {
    return new FileVersion(
        id,
        parent,
        "d" + id,
        FileType.DIRECTORY,
        false,
        0755,
        0,
        0,
        List.of(),
        "",
        new java.util.TreeMap<>(),
        VersionVector.EMPTY,
        new HybridTimestamp(1),
        new DeviceId("ALICE"),
        1,
        new byte[0]);
  }

  @Test
  void everyDirectoryComesAfterItsParent() {
    // A chain whose ids run opposite to its depth, so id order alone would put children first.
    Map<FileId, List<FileVersion>> directories = new HashMap<>();
    FileId parent = FileId.ROOT;
    directories.put(FileId.ROOT, List.of(directory(FileId.ROOT, FileId.ROOT)));
    List<FileId> chain = new java.util.ArrayList<>();
    for (int depth = 1; depth <= 20; depth++) {
      byte[] bytes = new byte[FileId.LENGTH];
      bytes[0] = (byte) (100 - depth);
      FileId id = FileId.of(bytes, 0);
      directories.put(id, List.of(directory(id, parent)));
      chain.add(id);
      parent = id;
    }
    List<FileId> order = SnapshotTaker.parentsFirst(directories);
    assertEquals(directories.size(), order.size());
    assertEquals(FileId.ROOT, order.getFirst());
    for (int i = 1; i < chain.size(); i++) {
      assertTrue(order.indexOf(chain.get(i - 1)) < order.indexOf(chain.get(i)), "depth " + i);
    }
  }
}
