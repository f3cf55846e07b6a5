package org.gossipdrive.net.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.ReplicaOptions;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Holding a save's records back, then publishing them as one atomic batch. */
class PushGateTest {
  @TempDir Path dir;

  private record Published(List<FileVersion> records, boolean atomic) {}

  @Test
  void heldRecordsGoOutTogetherAndAntiEntropyWaitsForThem() throws Exception {
    DeviceId device = new DeviceId("GATE-TEST");
    List<FileVersion> records;
    try (Replica replica = Replica.open(dir, ReplicaOptions.defaults(device))) {
      for (int i = 0; i < 4; i++) {
        replica.writeFile(
            FileId.ROOT, "f" + i, new ByteArrayInputStream(new byte[] {(byte) i}), 0644, false);
      }
      records = replica.recordsAfter(device, 0, 10);
    }
    assertTrue(records.size() >= 4);
    List<Published> out = new ArrayList<>();
    PushGate gate = new PushGate((batch, atomic) -> out.add(new Published(batch, atomic)), 0);

    gate.authored(records.subList(0, 1));
    assertEquals(
        List.of(new Published(records.subList(0, 1), false)), out, "no hold: sent at once");
    assertEquals(records.get(0).authorSequence(), gate.published());

    gate.hold();
    gate.hold();
    gate.authored(records.subList(1, 2));
    gate.authored(records.subList(2, 3));
    gate.release();
    assertEquals(1, out.size(), "still held while one hold remains");
    assertEquals(records.get(0).authorSequence(), gate.published(), "anti-entropy may not send");
    gate.authored(records.subList(3, 4));
    gate.release();
    assertEquals(new Published(records.subList(1, 4), true), out.get(1), "one atomic batch");
    assertEquals(records.get(3).authorSequence(), gate.published());
    gate.release();
    assertEquals(2, out.size(), "an extra release changes nothing");
  }
}
