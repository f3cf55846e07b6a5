package org.gossipdrive.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CommittedReadsTest {
  @Test
  void aValueReadWhileACommitLandsIsNotKept() throws Exception {
    CommittedReads<String, String> cache = new CommittedReads<>(100, v -> true);
    AtomicReference<String> store = new AtomicReference<>("old");
    CountDownLatch loaded = new CountDownLatch(1);
    CountDownLatch committed = new CountDownLatch(1);
    Thread reader =
        Thread.ofPlatform()
            .start(
                () ->
                    cache.get(
                        "k",
                        k -> {
                          String value = store.get(); // reads "old"...
                          loaded.countDown();
                          try {
                            committed.await(); // ...and a commit lands before it is kept
                          } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                          }
                          return value;
                        }));
    loaded.await();
    store.set("new");
    cache.invalidate(List.of("k"));
    committed.countDown();
    reader.join();
    assertEquals("new", cache.get("k", k -> store.get()), "the stale read was not kept");
  }

  @Test
  void invalidatedKeysAreReadAgainAndOthersStayCached() {
    CommittedReads<String, String> cache = new CommittedReads<>(100, v -> !v.equals("big"));
    int[] loads = {0};
    cache.get("a", k -> "1");
    cache.get("b", k -> "2");
    cache.invalidate(List.of("a"));
    assertEquals("3", cache.get("a", k -> "3"));
    assertEquals("2", cache.get("b", k -> "changed"), "b was not touched by the commit");
    cache.get(
        "c",
        k -> {
          loads[0]++;
          return "big";
        });
    cache.get(
        "c",
        k -> {
          loads[0]++;
          return "big";
        });
    assertEquals(2, loads[0], "values not worth keeping are read each time");
  }
}
