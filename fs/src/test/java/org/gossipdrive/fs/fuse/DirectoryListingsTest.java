package org.gossipdrive.fs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.cryptomator.jfuse.api.DirFiller;
import org.cryptomator.jfuse.api.Stat;
import org.junit.jupiter.api.Test;

class DirectoryListingsTest {
  /** A kernel buffer with room for {@code room} entries; records names, offsets and flags. */
  private static final class Buffer implements DirFiller {
    final List<String> names = new ArrayList<>();
    final List<Long> offsets = new ArrayList<>();
    final List<Integer> flags = new ArrayList<>();
    private final int room;

    Buffer(int room) {
      this.room = room;
    }

    @Override
    public int fill(String name, Consumer<Stat> stat, long offset, int flag) {
      if (names.size() == room) {
        return 1;
      }
      names.add(name);
      offsets.add(offset);
      flags.add(flag);
      return 0;
    }
  }

  @Test
  void aListingReadInSeveralRequestsIsTheOneTakenAtOpen() {
    var listings = new DirectoryListings();
    AtomicInteger listed = new AtomicInteger();
    List<String> now = new ArrayList<>(List.of("a", "b", "c"));
    long handle = listings.open(List.copyOf(now));
    now.add("d"); // created after opendir: not in this listing until a rewind

    var first = new Buffer(3);
    listings.fill(handle, 0, false, first, () -> listed(listed, now), name -> null);
    assertEquals(List.of(".", "..", "a"), first.names);
    assertEquals(List.of(1L, 2L, 3L), first.offsets);

    var second = new Buffer(3);
    listings.fill(handle, 3, false, second, () -> listed(listed, now), name -> null);
    assertEquals(List.of("b", "c"), second.names);
    assertEquals(0, listed.get(), "served from the listing taken at opendir");

    var rewound = new Buffer(10);
    listings.fill(handle, 0, false, rewound, () -> listed(listed, now), name -> null);
    assertEquals(List.of(".", "..", "a", "b", "c", "d"), rewound.names);
    assertEquals(1, listed.get(), "a rewind lists the directory again");

    listings.close(handle);
    assertEquals(0, listings.openCount());
  }

  @Test
  void withPlusEachEntryButTheDotsCarriesItsAttributesUnlessItWent() {
    var listings = new DirectoryListings();
    long handle = listings.open(List.of("kept", "gone"));
    var buffer = new Buffer(10);
    Consumer<Stat> attributes = stat -> {};
    listings.fill(
        handle, 0, true, buffer, List::of, name -> name.equals("gone") ? null : attributes);
    assertEquals(List.of(".", "..", "kept", "gone"), buffer.names);
    assertEquals(List.of(0, 0, DirFiller.FUSE_FILL_DIR_PLUS, 0), buffer.flags);
  }

  private static List<String> listed(AtomicInteger count, List<String> names) {
    count.incrementAndGet();
    return List.copyOf(names);
  }
}
