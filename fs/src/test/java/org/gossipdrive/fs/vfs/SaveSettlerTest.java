package org.gossipdrive.fs.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.gossipdrive.engine.tree.FileId;
import org.junit.jupiter.api.Test;

/**
 * New files hold a device's outgoing changes until their first close; files that keep starting
 * before the last ones end (a parallel build) must not hold them for the whole burst.
 */
class SaveSettlerTest {
  /** Counts holds and releases, as the push gate does. */
  private static final class CountingHold implements PushHold {
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger releases = new AtomicInteger();

    @Override
    public void hold() {
      open.incrementAndGet();
    }

    @Override
    public void release() {
      open.decrementAndGet();
      releases.incrementAndGet();
    }
  }

  @Test
  void overlappingCreationsStillSendWhatTheyHoldEverySecond() throws Exception {
    CountingHold hold = new CountingHold();
    try (SaveSettler creations =
        new SaveSettler(hold, Duration.ofMillis(500), Duration.ofSeconds(1))) {
      FileId previous = FileId.random();
      creations.started(previous);
      for (int i = 0; i < 25; i++) { // 2.5 s of files always overlapping the previous one
        Thread.sleep(100);
        FileId next = FileId.random();
        creations.started(next);
        creations.ended(previous);
        previous = next;
      }
      assertTrue(hold.releases.get() >= 2, "held changes sent during the burst: " + hold.releases);
      assertEquals(1, hold.open.get(), "still holding for the file in progress");
      creations.ended(previous);
      assertEquals(0, hold.open.get());
    }
  }

  @Test
  void aSaveIsHeldWholeHoweverLongItTakes() throws Exception {
    CountingHold hold = new CountingHold();
    try (SaveSettler saves =
        new SaveSettler(hold, Duration.ofSeconds(3), SaveSettler.Leftovers.NONE)) {
      FileId temporary = FileId.random();
      saves.started(temporary);
      for (int i = 0; i < 12; i++) {
        Thread.sleep(100);
        saves.touched(temporary);
      }
      assertEquals(0, hold.releases.get(), "a save in progress is never split");
      saves.ended(temporary);
      assertEquals(1, hold.releases.get());
    }
  }
}
