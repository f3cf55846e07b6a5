package org.gossipdrive.engine.store;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A cache of values read from the store, kept exact across commits: the committer invalidates the
 * keys a batch changed right after writing it, and a value read while a commit was landing is not
 * kept (it may predate the commit). Misses are cached too: a new file's name is looked up several
 * times before it exists.
 *
 * <p>Why: the mount resolves a file's full path on every call, so writing one small file reads the
 * same few directory entries dozens of times; from RocksDB each read costs a memtable search.
 */
final class CommittedReads<K, V> {
  private final int capacity;
  private final java.util.function.Predicate<V> worthKeeping;
  private final Map<K, V> values = new ConcurrentHashMap<>();
  private long generation;

  /**
   * @param capacity entries kept at most
   * @param worthKeeping which values to keep (big ones are read from the store each time)
   */
  CommittedReads(int capacity, java.util.function.Predicate<V> worthKeeping) {
    this.capacity = capacity;
    this.worthKeeping = worthKeeping;
  }

  V get(K key, Function<K, V> load) {
    V cached = values.get(key);
    if (cached != null) {
      return cached;
    }
    long before;
    synchronized (this) {
      before = generation;
    }
    V loaded = load.apply(key);
    synchronized (this) {
      if (generation == before && worthKeeping.test(loaded)) {
        if (values.size() >= capacity) {
          values.clear(); // crude, but bounded: the working set refills in a few calls
        }
        values.put(key, loaded);
      }
    }
    return loaded;
  }

  /** Called after a write that changed {@code keys} reached the store. */
  synchronized void invalidate(Collection<K> keys) {
    generation++;
    keys.forEach(values::remove);
  }
}
