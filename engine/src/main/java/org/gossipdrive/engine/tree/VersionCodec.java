package org.gossipdrive.engine.tree;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.gossipdrive.engine.chunk.ChunkingParams;
import org.gossipdrive.engine.codec.RecordReader;
import org.gossipdrive.engine.codec.RecordWriter;
import org.gossipdrive.engine.hash.ChunkId;

/**
 * The binary form of a {@link FileVersion} (format 1), used on disk and later signed for the wire.
 * See docs/storage.md for the layout. Every count and length has a limit checked on decode.
 */
public final class VersionCodec {
  private static final int FORMAT = 1;

  /** 1 TiB of 64-byte chunks: far beyond any real file, small enough to refuse nonsense. */
  public static final int MAX_CHUNKS = 16 << 20;

  private VersionCodec() {}

  public static byte[] encode(FileVersion v) {
    RecordWriter w = new RecordWriter(128 + v.chunks().size() * 36);
    writeBody(w, v);
    w.shortBytes(v.signature());
    return w.toByteArray();
  }

  /** The bytes the author signs: everything but the signature. */
  public static byte[] signedBytes(FileVersion v) {
    RecordWriter w = new RecordWriter(128 + v.chunks().size() * 36);
    writeBody(w, v);
    return w.toByteArray();
  }

  private static void writeBody(RecordWriter w, FileVersion v) {
    w.u8(FORMAT);
    w.bytes(v.id().toBytes()).bytes(v.parent().toBytes());
    w.string(v.name());
    w.u8(v.type().ordinal()).u8(v.deleted() ? 1 : 0);
    w.i32(v.mode()).i64(v.mtimeNanos()).i64(v.size());
    w.i32(v.chunks().size());
    for (ChunkRef chunk : v.chunks()) {
      w.bytes(chunk.id().toBytes()).i32(chunk.length());
    }
    w.string(v.symlinkTarget());
    w.u16(v.xattrs().size());
    for (Map.Entry<String, byte[]> xattr : v.xattrs().entrySet()) {
      w.string(xattr.getKey());
      w.i32(xattr.getValue().length).bytes(xattr.getValue());
    }
    w.u16(v.versionVector().counters().size());
    for (Map.Entry<DeviceId, Long> counter : v.versionVector().counters().entrySet()) {
      w.string(counter.getKey().value()).i64(counter.getValue());
    }
    w.i64(v.timestamp().value());
    w.string(v.author().value());
    w.i64(v.authorSequence());
  }

  /** Decodes or throws {@link org.gossipdrive.engine.codec.CorruptRecordException}. */
  public static FileVersion decode(byte[] data, String what) {
    RecordReader r = new RecordReader(data, what);
    int format = r.u8("format");
    if (format != FORMAT) {
      throw r.fail("unknown version format " + format);
    }
    FileId id = FileId.of(r.bytes(FileId.LENGTH, "id"), 0);
    FileId parent = FileId.of(r.bytes(FileId.LENGTH, "parent"), 0);
    String name = r.string("name", FileVersion.MAX_NAME_BYTES);
    FileType type = FileType.fromCode(r.u8("type"), r);
    int deletedFlag = r.u8("deleted");
    if (deletedFlag > 1) {
      throw r.fail("deleted flag is " + deletedFlag);
    }
    int mode = r.i32("mode");
    long mtime = r.i64("mtime");
    long size = r.i64("size");
    int chunkCount = r.count("chunk count", MAX_CHUNKS);
    if (chunkCount * 36L > r.remaining()) {
      throw r.fail("truncated chunk list (" + chunkCount + " chunks)");
    }
    List<ChunkRef> chunks = new ArrayList<>(chunkCount);
    long total = 0;
    for (int i = 0; i < chunkCount; i++) {
      ChunkId chunk = ChunkId.of(r.bytes(32, "chunk id"));
      int length = r.count("chunk length", ChunkingParams.LIMIT);
      if (length == 0) {
        throw r.fail("empty chunk in chunk list");
      }
      total += length;
      chunks.add(new ChunkRef(chunk, length));
    }
    if (size < 0 || (type == FileType.FILE && total != size)) {
      throw r.fail("size " + size + " does not match its chunks (" + total + " bytes)");
    }
    String target = r.string("symlink target", FileVersion.MAX_TARGET_BYTES);
    int xattrCount = r.u16("xattr count");
    if (xattrCount > FileVersion.MAX_XATTRS) {
      throw r.fail("xattr count " + xattrCount + " above " + FileVersion.MAX_XATTRS);
    }
    TreeMap<String, byte[]> xattrs = new TreeMap<>();
    for (int i = 0; i < xattrCount; i++) {
      String key = r.string("xattr name", 255);
      xattrs.put(key, r.bytes(r.count("xattr value length", FileVersion.MAX_XATTR_VALUE), "xattr"));
    }
    int deviceCount = r.u16("vector size");
    if (deviceCount > VersionVector.MAX_DEVICES) {
      throw r.fail("version vector of " + deviceCount + " devices");
    }
    TreeMap<DeviceId, Long> counters = new TreeMap<>();
    for (int i = 0; i < deviceCount; i++) {
      DeviceId device = device(r, "vector device");
      long counter = r.i64("vector counter");
      if (counter <= 0) {
        throw r.fail("version counter " + counter + " for " + device);
      }
      counters.put(device, counter);
    }
    HybridTimestamp stamp = new HybridTimestamp(r.i64("timestamp"));
    DeviceId author = device(r, "author");
    long authorSequence = r.i64("author sequence");
    if (authorSequence < 0) {
      throw r.fail("negative author sequence");
    }
    byte[] signature = r.shortBytes("signature", FileVersion.MAX_SIGNATURE);
    r.end();
    return new FileVersion(
        id,
        parent,
        name,
        type,
        deletedFlag == 1,
        mode,
        mtime,
        size,
        chunks,
        target,
        xattrs,
        VersionVector.of(counters),
        stamp,
        author,
        authorSequence,
        signature);
  }

  private static DeviceId device(RecordReader r, String field) {
    String value = r.string(field, DeviceId.MAX_LENGTH);
    try {
      return new DeviceId(value);
    } catch (IllegalArgumentException e) {
      throw r.fail(field + " is not a device id");
    }
  }
}
