package org.gossipdrive.fs.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A process keeps the locks of the files it used until it exits, but only its most recent ones: a
 * bulk writer must not hold thousands (regression: a copy of 20,000 files held 20,000 locks, more
 * than one lock announcement may carry).
 */
class LockOwnersTest {
  @Test
  void aProcessKeepsOnlyItsMostRecentLocks() throws Exception {
    List<String> released = java.util.Collections.synchronizedList(new ArrayList<>());
    long self = ProcessHandle.current().pid(); // this JVM: a live process that is not a shell
    try (LockOwners owners = new LockOwners(released::add, Duration.ofMinutes(10))) {
      int extra = 44;
      for (int i = 0; i < LockOwners.KEPT_PER_PROCESS + extra; i++) {
        owners.used("/bulk/file" + i, self);
      }
      owners.used("/bulk/file0", self); // already released: taken again, now the newest
      assertEquals(
          IntStream.rangeClosed(0, extra).mapToObj(i -> "/bulk/file" + i).toList(),
          released,
          "the oldest are released, in order");
      assertEquals(List.of("pid " + self), owners.describe("/bulk/file0"));
      assertEquals(List.of("pid " + self), owners.describe("/bulk/file" + (extra + 1)));
      Thread.sleep(600); // two sweeps: this process lives, so nothing more is released
      assertEquals(extra + 1, released.size());
      assertTrue(owners.describe("/bulk/file1").isEmpty());
    }
  }
}
