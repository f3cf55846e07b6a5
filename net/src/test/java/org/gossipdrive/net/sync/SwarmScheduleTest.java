package org.gossipdrive.net.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Set;
import org.gossipdrive.engine.hash.ChunkId;
import org.gossipdrive.engine.tree.DeviceId;
import org.junit.jupiter.api.Test;

class SwarmScheduleTest {
  private static final DeviceId ALICE = new DeviceId("ALICE");
  private static final DeviceId BOB = new DeviceId("BOB");

  private static ChunkId chunk(int n) {
    return ChunkId.hashOf(new byte[] {(byte) n}, 0, 1);
  }

  @Test
  void aChunkOnePeerLacksGoesToTheOtherAndIsGivenUpOnlyWhenBothLackIt() throws Exception {
    SwarmSchedule schedule = new SwarmSchedule(Set.of(ALICE, BOB), List.of(chunk(1), chunk(2)));
    assertEquals(chunk(1), schedule.next(ALICE));
    assertEquals(chunk(2), schedule.next(BOB));
    schedule.notProvided(chunk(1)); // alice lacks it: back in the queue, for bob only
    assertNull(schedule.next(ALICE));
    schedule.delivered(chunk(2));
    assertEquals(chunk(1), schedule.next(BOB));
    schedule.notProvided(chunk(1)); // bob lacks it too
    assertFalse(schedule.awaitWork(ALICE));
    assertEquals(List.of(chunk(1)), schedule.remaining());
  }

  @Test
  void whatALeavingPeerWasLeftToAskGoesToTheOthers() throws Exception {
    SwarmSchedule schedule =
        new SwarmSchedule(Set.of(ALICE, BOB), List.of(chunk(1), chunk(2), chunk(3)));
    assertEquals(chunk(1), schedule.next(ALICE));
    schedule.notProvided(chunk(1));
    schedule.leave(ALICE); // lost: chunk 1 waits for bob, who was not asked yet
    assertEquals(chunk(1), schedule.next(BOB));
    schedule.notProvided(chunk(1));
    assertEquals(chunk(2), schedule.next(BOB));
    schedule.delivered(chunk(2));
    assertEquals(chunk(3), schedule.next(BOB));
    schedule.delivered(chunk(3));
    assertFalse(schedule.awaitWork(BOB));
    assertEquals(List.of(chunk(1)), schedule.remaining(), "nobody left who could provide it");
  }
}
