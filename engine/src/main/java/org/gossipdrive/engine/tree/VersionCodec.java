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
 * The binary form of a {@link FileVersion}, used on disk and signed for the wire. See
 * docs/storage.md for the layout. Every count and length has a limit checked on decode.
 *
 * <p>Format 1 lists chunks only; format 2 also lists holes, each extent led by its kind. A version
 * without holes is always written in format 1, so every record stored or signed before holes
 * existed encodes to the same bytes, and its signature still verifies.
 */
public final class VersionCodec {
  private static final int CHUNKS_ONLY = 1;
  private static final int WITH_HOLES = 2;
  private static final int KIND_CHUNK = 0;
  private static final int KIND_HOLE = 1;

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
    boolean holes = v.hasHoles();
    w.u8(holes ? WITH_HOLES : CHUNKS_ONLY);
    w.bytes(v.id().toBytes()).bytes(v.parent().toBytes());
    w.string(v.name());
    w.u8(v.type().ordinal()).u8(v.deleted() ? 1 : 0);
    w.i32(v.mode()).i64(v.mtimeNanos()).i64(v.size());
    w.i32(v.chunks().size());
    for (ChunkRef chunk : v.chunks()) {
      if (!holes) {
        w.bytes(chunk.id().toBytes()).i32((int) chunk.length());
      } else if (chunk.isHole()) {
        w.u8(KIND_HOLE).i64(chunk.length());
      } else {
        w.u8(KIND_CHUNK).bytes(chunk.id().toBytes()).i32((int) chunk.length());
      }
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
    if (format != CHUNKS_ONLY && format != WITH_HOLES) {
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
    List<ChunkRef> chunks = extents(r, format == WITH_HOLES);
    long total = 0;
    for (ChunkRef chunk : chunks) {
      total += chunk.length(); // bounded: extents() keeps the sum within MAX_SIZE
    }
    if (size < 0 || size > FileVersion.MAX_SIZE || (type == FileType.FILE && total != size)) {
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

  /**
   * Reads the extent list. Holes must be canonical: positive, never two in a row, never in format
   * 1; so one content has one encoding, and its signature one meaning.
   */
  private static List<ChunkRef> extents(RecordReader r, boolean withHoles) {
    int count = r.count("chunk count", MAX_CHUNKS);
    if (count * (withHoles ? 9L : 36L) > r.remaining()) {
      throw r.fail("truncated chunk list (" + count + " chunks)");
    }
    List<ChunkRef> extents = new ArrayList<>(count);
    long total = 0;
    boolean afterHole = false;
    for (int i = 0; i < count; i++) {
      int kind = withHoles ? r.u8("extent kind") : KIND_CHUNK;
      ChunkRef extent;
      if (kind == KIND_HOLE) {
        long length = r.i64("hole length");
        if (length <= 0 || length > FileVersion.MAX_SIZE || afterHole) {
          throw r.fail(afterHole ? "two holes in a row" : "hole of " + length + " bytes");
        }
        extent = ChunkRef.hole(length);
      } else if (kind == KIND_CHUNK) {
        ChunkId chunk = ChunkId.of(r.bytes(32, "chunk id"));
        int length = r.count("chunk length", ChunkingParams.LIMIT);
        if (length == 0 || chunk.equals(ChunkId.HOLE)) {
          throw r.fail(length == 0 ? "empty chunk in chunk list" : "a chunk named like a hole");
        }
        extent = new ChunkRef(chunk, length);
      } else {
        throw r.fail("unknown extent kind " + kind);
      }
      total += extent.length();
      if (total > FileVersion.MAX_SIZE) {
        throw r.fail("extents add up past the largest file (" + FileVersion.MAX_SIZE + " bytes)");
      }
      afterHole = extent.isHole();
      extents.add(extent);
    }
    if (withHoles && !extents.stream().anyMatch(ChunkRef::isHole)) {
      throw r.fail("format 2 without a hole");
    }
    return extents;
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
