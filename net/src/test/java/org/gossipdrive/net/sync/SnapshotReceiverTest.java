package org.gossipdrive.net.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.ReplicaOptions;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.net.wire.proto.SnapshotPart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotReceiverTest {
  private static final DeviceId ALICE = new DeviceId("ALICE");
  private static final DeviceId MALLORY = new DeviceId("MALLORY");

  @TempDir Path dir;
  private Replica replica;
  private SnapshotReceiver receiver;

  @BeforeEach
  void open() {
    replica = Replica.open(dir.resolve("store"), ReplicaOptions.defaults(new DeviceId("BOB")));
    receiver = new SnapshotReceiver(replica);
  }

  @AfterEach
  void close() {
    replica.close();
  }

  private static SnapshotPart part(long request, long offset, byte[] all, int from, int to) {
    return SnapshotPart.newBuilder()
        .setRequestId(request)
        .setOffset(offset)
        .setTotalBytes(all.length)
        .setRecords(7)
        .setData(ByteString.copyFrom(all, from, to - from))
        .build();
  }

  @Test
  void partsInOrderMakeTheWholeFileAndNothingElseCounts() throws Exception {
    byte[] file = new byte[3000];
    new java.util.Random(1).nextBytes(file);
    long request = receiver.begin(ALICE).orElseThrow();
    // "still being written" parts only keep the transfer alive
    var preparing = SnapshotPart.newBuilder().setRequestId(request).build();
    assertTrue(receiver.part(ALICE, preparing).isEmpty());
    // another peer's part, or another request's, is ignored
    assertTrue(receiver.part(MALLORY, part(request, 0, file, 0, 1000)).isEmpty());
    assertTrue(receiver.part(ALICE, part(request + 1, 0, file, 0, 1000)).isEmpty());
    assertTrue(receiver.part(ALICE, part(request, 0, file, 0, 1000)).isEmpty());
    assertEquals(1000, receiver.progress().orElseThrow().bytesReceived());
    var arrived = receiver.part(ALICE, part(request, 1000, file, 1000, 3000)).orElseThrow();
    assertEquals(ALICE, arrived.from());
    assertEquals(7, arrived.records());
    assertArrayEquals(file, Files.readAllBytes(arrived.file()));
    receiver.finished();
    assertTrue(Files.notExists(arrived.file()), "the spool file is removed");
    assertTrue(receiver.progress().isEmpty());
  }

  @Test
  void aPartOutOfOrderEndsTheTransferAndDeletesWhatArrived() throws Exception {
    byte[] file = new byte[3000];
    long request = receiver.begin(ALICE).orElseThrow();
    assertTrue(receiver.part(ALICE, part(request, 0, file, 0, 1000)).isEmpty());
    assertTrue(receiver.part(ALICE, part(request, 2000, file, 2000, 3000)).isEmpty());
    assertTrue(receiver.progress().isEmpty(), "abandoned");
    try (var left = Files.list(dir.resolve("store/spool"))) {
      assertEquals(0, left.count());
    }
    assertTrue(receiver.begin(ALICE).isEmpty(), "not asked again at once");
  }
}
