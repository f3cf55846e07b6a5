package org.gossipdrive.fs.fuse;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.cryptomator.jfuse.api.DirFiller;
import org.cryptomator.jfuse.api.Stat;

/**
 * The listings of open directories, each taken at {@code opendir} and again when the reader
 * rewinds, and served from an offset.
 *
 * <p>Why offsets: libfuse 3.14 passes an entry's attributes to the kernel (readdirplus) only when
 * the listing is filled from offsets; a listing filled whole at offset 0 reaches the kernel with no
 * attributes, and {@code ls -l} then costs one LOOKUP round trip per entry. Filling from offsets
 * means several requests per directory, so each serves from the list taken when the directory was
 * opened: one consistent listing, as POSIX asks between two rewinds, and no re-listing per request.
 */
final class DirectoryListings {
  /** The kernel's {@code FUSE_READDIR_PLUS} request flag, as libfuse passes it. */
  static final int READDIR_PLUS = 1;

  /** A listing, and whether it was read from yet: a later read from offset 0 is a rewind. */
  private static final class Listing {
    volatile List<String> names;
    volatile boolean read;

    Listing(List<String> names) {
      this.names = names;
    }
  }

  private final Map<Long, Listing> open = new ConcurrentHashMap<>();
  private final AtomicLong nextHandle = new AtomicLong(1);

  /** Keeps {@code names} for the reads of a directory just opened; returns its handle (never 0). */
  long open(List<String> names) {
    long handle = nextHandle.getAndIncrement();
    open.put(handle, new Listing(names));
    return handle;
  }

  void close(long handle) {
    open.remove(handle);
  }

  /**
   * Fills {@code filler} from {@code offset} ("." is entry 0, ".." 1, then the names) until its
   * buffer is full. A rewind (offset 0 after a first read) takes the listing again ({@code list}),
   * to show the directory as it is now; so does a handle this class does not know. With {@code
   * plus}, each entry carries its attributes from {@code attributes} (null when the entry went
   * meanwhile: then it is listed without them).
   */
  void fill(
      long handle,
      long offset,
      boolean plus,
      DirFiller filler,
      Supplier<List<String>> list,
      Function<String, Consumer<Stat>> attributes) {
    Listing listing = open.get(handle);
    if (listing == null) {
      listing = new Listing(list.get());
    } else if (offset == 0 && listing.read) {
      listing.names = list.get();
    }
    listing.read = true;
    List<String> names = listing.names;
    for (long index = Math.max(0, offset); index < names.size() + 2L; index++) {
      String name = index == 0 ? "." : index == 1 ? ".." : names.get((int) (index - 2));
      Consumer<Stat> stat = plus && index >= 2 ? attributes.apply(name) : null;
      int full =
          stat == null
              ? filler.fill(name, s -> {}, index + 1, 0)
              : filler.fill(name, stat, index + 1, DirFiller.FUSE_FILL_DIR_PLUS);
      if (full != 0) {
        return;
      }
    }
  }

  /** How many directories are open (for tests: each release must drop its listing). */
  int openCount() {
    return open.size();
  }
}
