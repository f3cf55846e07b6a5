package org.gossipdrive.engine.store;

import java.util.ArrayList;
import java.util.List;
import org.gossipdrive.engine.codec.RecordReader;
import org.gossipdrive.engine.codec.RecordWriter;
import org.gossipdrive.engine.store.ReplicaDb.Column;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileVersion;
import org.gossipdrive.engine.tree.VersionCodec;
import org.gossipdrive.engine.tree.VersionVector;
import org.rocksdb.WriteBatch;

/**
 * Per entry, the authored records no other record supersedes (the maximal elements under version
 * vectors). The head is a pure function of this set, so replicas holding the same records show the
 * same tree whatever order the records arrived in.
 */
public final class Frontiers {
  private static final int MAX_MEMBERS = 1024;

  private final ReplicaDb db;

  public Frontiers(ReplicaDb db) {
    this.db = db;
  }

  public List<FileVersion> get(FileId id) {
    byte[] stored = db.get(Column.FRONTIER, id.toBytes());
    if (stored == null) {
      return List.of();
    }
    return decode(id, stored);
  }

  /** Visits every entry's frontier, in entry id order (one RocksDB iterator, so one moment). */
  public void forEach(java.util.function.BiConsumer<FileId, List<FileVersion>> visitor) {
    db.scan(
        Column.FRONTIER,
        new byte[0],
        (key, value) -> {
          FileId id = FileId.of(key, 0);
          visitor.accept(id, decode(id, value));
        });
  }

  private static List<FileVersion> decode(FileId id, byte[] stored) {
    RecordReader r = new RecordReader(stored, "frontier of " + id);
    int count = r.count("members", MAX_MEMBERS);
    List<FileVersion> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(
          VersionCodec.decode(
              r.bytes(r.count("member length", 64 << 20), "member"), "frontier of " + id));
    }
    r.end();
    return out;
  }

  public void stage(WriteBatch batch, FileId id, List<FileVersion> members) {
    RecordWriter w = new RecordWriter(256);
    w.i32(members.size());
    for (FileVersion member : members) {
      byte[] encoded = VersionCodec.encode(member);
      w.i32(encoded.length).bytes(encoded);
    }
    db.put(batch, Column.FRONTIER, id.toBytes(), w.toByteArray());
  }

  /** The maximal records of {@code current} plus {@code record}. */
  public static List<FileVersion> with(List<FileVersion> current, FileVersion record) {
    List<FileVersion> next = new ArrayList<>();
    for (FileVersion member : current) {
      VersionVector.Order order = member.versionVector().compare(record.versionVector());
      if (order == VersionVector.Order.AFTER || order == VersionVector.Order.EQUAL) {
        return current; // already superseded or held
      }
      if (order == VersionVector.Order.CONCURRENT) {
        next.add(member);
      }
    }
    next.add(record);
    return next;
  }
}
