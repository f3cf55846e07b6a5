package org.gossipdrive.engine.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.gossipdrive.engine.codec.Keys;
import org.gossipdrive.engine.codec.RecordReader;
import org.gossipdrive.engine.store.ReplicaDb.Column;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.engine.tree.FileVersion;
import org.gossipdrive.engine.tree.VersionCodec;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * Every signed version record this replica holds, by author and author sequence: the index that
 * replication exchanges. A peer's digest is, per author, the highest sequence held without gaps;
 * what a peer lacks is "this author's records after N".
 *
 * <p>A replica that joined from a snapshot holds only the records that were current then: its
 * <em>floor</em> says, per author, up to which sequence the snapshot covered everything, and the
 * digest counts from there.
 */
public final class RecordLog {
  private final ReplicaDb db;

  public RecordLog(ReplicaDb db) {
    this.db = db;
  }

  static byte[] authorPrefix(DeviceId author) {
    byte[] id = author.value().getBytes(StandardCharsets.US_ASCII);
    byte[] prefix = new byte[id.length + 1];
    prefix[0] = (byte) id.length;
    System.arraycopy(id, 0, prefix, 1, id.length);
    return prefix;
  }

  static byte[] key(DeviceId author, long sequence) {
    return Keys.concat(authorPrefix(author), Keys.u64(sequence));
  }

  /**
   * Adds a record authored with a sequence number (derived, unsequenced versions are not logged).
   */
  public void stage(WriteBatch batch, FileVersion version) {
    if (version.authorSequence() > 0) {
      db.put(
          batch,
          Column.RECORDS,
          key(version.author(), version.authorSequence()),
          VersionCodec.encode(version));
    }
  }

  public boolean contains(DeviceId author, long sequence) {
    return db.get(Column.RECORDS, key(author, sequence)) != null;
  }

  /** The highest sequence of {@code author} this replica holds (0 if none). */
  public long lastSequence(DeviceId author) {
    long[] last = {0};
    db.scan(Column.RECORDS, authorPrefix(author), (key, value) -> last[0] = sequenceOf(key));
    return last[0];
  }

  /**
   * Per author in {@code floor}, the held record with the highest sequence at most the floor's:
   * what a snapshot carries so that its floor names a record it holds (ADR 33). An author of whom
   * nothing at or below the floor is held is left out.
   */
  public java.util.Map<DeviceId, FileVersion> headsAtOrBelow(Map<DeviceId, Long> floor) {
    Map<DeviceId, FileVersion> heads = new TreeMap<>();
    try (RocksIterator it = db.iterator(Column.RECORDS)) {
      floor.forEach(
          (author, sequence) -> {
            if (sequence <= 0) {
              return;
            }
            byte[] prefix = authorPrefix(author);
            it.seekForPrev(key(author, sequence));
            if (it.isValid()
                && it.key().length == prefix.length + 8
                && java.util.Arrays.equals(it.key(), 0, prefix.length, prefix, 0, prefix.length)) {
              heads.put(
                  author, VersionCodec.decode(it.value(), "record " + author + "#" + sequence));
            }
          });
    }
    return heads;
  }

  /**
   * Per author, the highest sequence held with no gap before it. Replication asks for it on every
   * anti-entropy round, so it is kept in memory: built by one scan, then advanced by {@link
   * #committed} after each write.
   */
  public synchronized Map<DeviceId, Long> digest() {
    if (contiguous == null) {
      load();
    }
    return new TreeMap<>(contiguous);
  }

  /** Records written by a batch that has just been committed. */
  public synchronized void committed(java.util.Collection<FileVersion> written) {
    if (contiguous == null) {
      return; // built on first use, from disk
    }
    for (FileVersion record : written) {
      if (record.authorSequence() > 0) {
        advance(record.author(), record.authorSequence());
      }
    }
  }

  /** Per author: highest gapless sequence, and sequences held beyond a gap. */
  private Map<DeviceId, Long> contiguous;

  private final Map<DeviceId, java.util.TreeSet<Long>> ahead = new java.util.HashMap<>();

  private void advance(DeviceId author, long sequence) {
    long current = contiguous.getOrDefault(author, 0L);
    if (sequence <= current) {
      return;
    }
    java.util.TreeSet<Long> beyond = ahead.computeIfAbsent(author, k -> new java.util.TreeSet<>());
    beyond.add(sequence);
    while (!beyond.isEmpty() && beyond.first() == current + 1) {
      current = beyond.pollFirst();
    }
    contiguous.put(author, current);
    if (beyond.isEmpty()) {
      ahead.remove(author);
    }
  }

  private static final byte[] FLOOR_KEY =
      "record-floor".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private static final int MAX_FLOOR_AUTHORS = 65_536;

  /** Per author, the sequence up to which a snapshot this replica adopted covered every record. */
  public synchronized Map<DeviceId, Long> floor() {
    byte[] stored = db.get(Column.META, FLOOR_KEY);
    Map<DeviceId, Long> floor = new TreeMap<>();
    if (stored == null) {
      return floor;
    }
    RecordReader r = new RecordReader(stored, "record floor");
    int count = r.count("authors", MAX_FLOOR_AUTHORS);
    for (int i = 0; i < count; i++) {
      floor.put(new DeviceId(r.string("author", 256)), r.i64("sequence"));
    }
    r.end();
    return floor;
  }

  /**
   * Records that every record of each author up to the given sequence is held or superseded by one
   * held (a snapshot was applied). Call only after the snapshot's records are committed: the floor
   * is written after them in the same write-ahead log, so a crash cannot keep it without them.
   */
  public synchronized void raiseFloor(Map<DeviceId, Long> raised) {
    Map<DeviceId, Long> floor = floor();
    // Never beyond what is held (ADR 33): a floor claims records up to it, and this replica's
    // digest, which it advertises, starts there.
    raised.forEach(
        (author, sequence) ->
            floor.merge(author, Math.min(sequence, highestHeld(author)), Math::max));
    floor.values().removeIf(sequence -> sequence <= 0);
    org.gossipdrive.engine.codec.RecordWriter w =
        new org.gossipdrive.engine.codec.RecordWriter(64 * floor.size() + 4);
    w.i32(floor.size());
    floor.forEach((author, sequence) -> w.string(author.value()).i64(sequence));
    db.put(Column.META, FLOOR_KEY, w.toByteArray());
    if (contiguous != null) {
      floor.forEach(this::startAt);
    }
  }

  /** Moves an author's gapless position up to {@code sequence}, then past what is held beyond. */
  private void startAt(DeviceId author, long sequence) {
    long current = Math.max(contiguous.getOrDefault(author, 0L), sequence);
    java.util.TreeSet<Long> beyond = ahead.get(author);
    while (beyond != null && !beyond.isEmpty() && beyond.first() <= current + 1) {
      current = Math.max(current, beyond.pollFirst());
    }
    if (beyond != null && beyond.isEmpty()) {
      ahead.remove(author);
    }
    if (current > 0) {
      contiguous.put(author, current);
    }
  }

  private void load() {
    contiguous = new TreeMap<>();
    ahead.clear();
    // A floor adopted before floors were bounded may claim more than is held: the digest, which
    // peers are told, starts at most at the highest record held.
    floor()
        .forEach(
            (author, sequence) -> {
              long start = Math.min(sequence, highestHeld(author));
              if (start > 0) {
                contiguous.put(author, start);
              }
            });
    try (RocksIterator it = db.iterator(Column.RECORDS)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        advance(authorOf(it.key()), sequenceOf(it.key()));
      }
    }
  }

  /** The highest sequence of {@code author} held, found by one seek (0 if none). */
  long highestHeld(DeviceId author) {
    FileVersion head = headsAtOrBelow(Map.of(author, Long.MAX_VALUE)).get(author);
    return head == null ? 0 : head.authorSequence();
  }

  /** Up to {@code limit} records of {@code author} after {@code afterSequence}, in order. */
  public List<FileVersion> after(DeviceId author, long afterSequence, int limit) {
    List<FileVersion> out = new ArrayList<>();
    byte[] prefix = authorPrefix(author);
    try (RocksIterator it = db.iterator(Column.RECORDS)) {
      for (it.seek(key(author, afterSequence + 1)); it.isValid() && out.size() < limit; it.next()) {
        byte[] key = it.key();
        if (key.length != prefix.length + 8
            || !java.util.Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length)) {
          break;
        }
        out.add(VersionCodec.decode(it.value(), "record " + author + "#" + sequenceOf(key)));
      }
    }
    return out;
  }

  private static DeviceId authorOf(byte[] key) {
    int length = key[0] & 0xff;
    return new DeviceId(new String(key, 1, length, StandardCharsets.US_ASCII));
  }

  private static long sequenceOf(byte[] key) {
    return new RecordReader(
            java.util.Arrays.copyOfRange(key, key.length - 8, key.length), "record key")
        .i64("sequence");
  }
}
