package org.gossipdrive.engine.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.gossipdrive.engine.codec.CorruptRecordException;
import org.gossipdrive.engine.codec.Keys;
import org.gossipdrive.engine.codec.RecordReader;
import org.gossipdrive.engine.codec.RecordWriter;
import org.gossipdrive.engine.store.ReplicaDb.Column;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileVersion;
import org.gossipdrive.engine.tree.StoredVersion;
import org.gossipdrive.engine.tree.VersionCodec;
import org.rocksdb.WriteBatch;

/**
 * The file tree on disk: the head version of every entry ({@code files}), the live names in each
 * directory ({@code children}, so a listing is one prefix scan) and every retained version ({@code
 * versions}, the history).
 */
public final class TreeIndex {
  private final ReplicaDb db;

  /** Heads of small entries (a big file's record lists thousands of chunks: not kept). */
  private final CommittedReads<FileId, Optional<StoredVersion>> heads =
      new CommittedReads<>(
          65_536, head -> head.map(h -> h.version().chunks().size() <= 64).orElse(true));

  private final CommittedReads<Place, Optional<FileId>> children =
      new CommittedReads<>(65_536, id -> true);

  /** What the batch being staged changes (the committer's thread only). */
  private final java.util.Set<FileId> stagedHeads = new java.util.HashSet<>();

  private final java.util.Set<Place> stagedPlaces = new java.util.HashSet<>();

  private record Place(FileId directory, String name) {}

  public TreeIndex(ReplicaDb db) {
    this.db = db;
  }

  public Optional<StoredVersion> head(FileId id) {
    return heads.get(
        id,
        key -> {
          byte[] stored = db.get(Column.FILES, key.toBytes());
          return stored == null ? Optional.empty() : Optional.of(decodeHead(key, stored));
        });
  }

  /** The live entry called {@code name} in {@code directory}. */
  public Optional<FileId> child(FileId directory, String name) {
    return children.get(
        new Place(directory, name),
        place -> {
          byte[] stored = db.get(Column.CHILDREN, childKey(directory, name));
          return stored == null
              ? Optional.empty()
              : Optional.of(childValue(stored, directory, name));
        });
  }

  /**
   * Called by the committer once the batch holding every {@link #stageHead} since the last call was
   * written (or failed): cached reads of what it changed are dropped.
   */
  public void batchWritten() {
    heads.invalidate(stagedHeads);
    children.invalidate(stagedPlaces);
    stagedHeads.clear();
    stagedPlaces.clear();
  }

  /**
   * The live entries of a directory, in name byte order, as of one moment: never half of a commit
   * that renames one entry over another.
   */
  public List<StoredVersion> list(FileId directory) {
    return db.readConsistently(
        reads -> {
          List<StoredVersion> entries = new ArrayList<>();
          reads.scan(
              Column.CHILDREN,
              directory.toBytes(),
              (key, value) -> {
                String name = childName(key);
                FileId id = childValue(value, directory, name);
                byte[] stored = reads.get(Column.FILES, id.toBytes());
                if (stored == null) {
                  throw new StoreException(
                      "directory entry " + name + " points to missing file " + id);
                }
                entries.add(decodeHead(id, stored));
              });
          return entries;
        });
  }

  /** Names of the live children recorded on disk for {@code directory}. */
  public List<String> childNames(FileId directory) {
    List<String> names = new ArrayList<>();
    db.scan(Column.CHILDREN, directory.toBytes(), (key, value) -> names.add(childName(key)));
    return names;
  }

  /** Every retained version of an entry, oldest first. */
  public List<StoredVersion> history(FileId id) {
    List<StoredVersion> versions = new ArrayList<>();
    db.scan(Column.VERSIONS, id.toBytes(), (key, value) -> versions.add(decodeVersion(key, value)));
    return versions;
  }

  private static String childName(byte[] key) {
    return new String(key, FileId.LENGTH, key.length - FileId.LENGTH, StandardCharsets.UTF_8);
  }

  public Optional<StoredVersion> version(FileId id, long sequence) {
    byte[] key = versionKey(id, sequence);
    byte[] stored = db.get(Column.VERSIONS, key);
    return stored == null ? Optional.empty() : Optional.of(decodeVersion(key, stored));
  }

  /** Records {@code next} as the new head of its entry, replacing {@code previous}. */
  public void stageHead(WriteBatch batch, StoredVersion next, Optional<StoredVersion> previous) {
    FileVersion v = next.version();
    stagedHeads.add(v.id());
    stagedPlaces.add(new Place(v.parent(), v.name()));
    previous.ifPresent(p -> stagedPlaces.add(new Place(p.version().parent(), p.version().name())));
    byte[] record = VersionCodec.encode(v);
    db.put(batch, Column.VERSIONS, versionKey(v.id(), next.sequence()), record);
    db.put(
        batch,
        Column.FILES,
        v.id().toBytes(),
        new RecordWriter(record.length + 8).i64(next.sequence()).bytes(record).toByteArray());
    if (previous.isPresent() && !previous.get().version().deleted()) {
      FileVersion old = previous.get().version();
      boolean samePlace = old.parent().equals(v.parent()) && old.name().equals(v.name());
      if (v.deleted() || !samePlace) {
        db.delete(batch, Column.CHILDREN, childKey(old.parent(), old.name()));
      }
    }
    if (!v.deleted() && !v.id().isRoot()) {
      db.put(batch, Column.CHILDREN, childKey(v.parent(), v.name()), v.id().toBytes());
    }
  }

  /** Drops a history version (never the head) from a batch. */
  public void stageForget(WriteBatch batch, FileId id, long sequence) {
    db.delete(batch, Column.VERSIONS, versionKey(id, sequence));
  }

  static byte[] childKey(FileId directory, String name) {
    return Keys.concat(directory.toBytes(), name.getBytes(StandardCharsets.UTF_8));
  }

  public static byte[] versionKey(FileId id, long sequence) {
    return Keys.concat(id.toBytes(), Keys.u64(sequence));
  }

  static StoredVersion decodeHead(FileId id, byte[] stored) {
    String what = "head of file " + id;
    RecordReader r = new RecordReader(stored, what);
    long sequence = r.i64("sequence");
    FileVersion version = VersionCodec.decode(Arrays.copyOfRange(stored, 8, stored.length), what);
    if (!version.id().equals(id)) {
      throw new CorruptRecordException(what + ": record is for file " + version.id());
    }
    return new StoredVersion(sequence, version);
  }

  public static StoredVersion decodeVersion(byte[] key, byte[] stored) {
    if (key.length != FileId.LENGTH + 8) {
      throw new CorruptRecordException("version key of " + key.length + " bytes");
    }
    FileId id = FileId.of(key, 0);
    long sequence = Keys.u64(Arrays.copyOfRange(key, FileId.LENGTH, key.length), "version key");
    FileVersion version = VersionCodec.decode(stored, "version #" + sequence + " of file " + id);
    if (!version.id().equals(id)) {
      throw new CorruptRecordException(
          "version #" + sequence + " of file " + id + " is a record for " + version.id());
    }
    return new StoredVersion(sequence, version);
  }

  private static FileId childValue(byte[] stored, FileId directory, String name) {
    if (stored.length != FileId.LENGTH) {
      throw new CorruptRecordException(
          "directory entry " + name + " in " + directory + " is damaged");
    }
    return FileId.of(stored, 0);
  }
}
