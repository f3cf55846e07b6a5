package org.gossipdrive.engine.snapshot;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.codec.digest.Blake3;
import org.gossipdrive.engine.codec.CorruptRecordException;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.engine.tree.FileVersion;
import org.gossipdrive.engine.tree.VersionCodec;

/**
 * A received snapshot file whose checksum was verified before anything in it is read: a file cut
 * short, reordered or altered on the way is refused whole, and nothing of it is applied.
 */
public final class SnapshotFile {
  private final Path path;
  private final Map<DeviceId, Long> floor;
  private final long records;

  private SnapshotFile(Path path, Map<DeviceId, Long> floor, long records) {
    this.path = path;
    this.floor = floor;
    this.records = records;
  }

  /** Checks the checksum, then the header and trailer, of the snapshot at {@code path}. */
  public static SnapshotFile open(Path path) throws IOException, CorruptSnapshotException {
    long size = Files.size(path);
    if (size < SnapshotFormat.MAGIC.length + 4 + 4 + 8 + SnapshotFormat.CHECKSUM_LENGTH) {
      throw new CorruptSnapshotException("snapshot is " + size + " bytes, too short to be one");
    }
    verifyChecksum(path, size);
    try (DataInputStream in = input(path)) {
      byte[] magic = in.readNBytes(SnapshotFormat.MAGIC.length);
      if (!java.util.Arrays.equals(magic, SnapshotFormat.MAGIC)) {
        throw new CorruptSnapshotException("not a GossipDrive snapshot (version 1)");
      }
      Map<DeviceId, Long> floor = readFloor(in);
      // Each floor must name a record the file holds (ADR 33): a sender cannot claim records
      // it does not have, such as a floor of 2^63 that would stop every peer asking for more.
      Map<DeviceId, Long> unnamed = new TreeMap<>(floor);
      unnamed.values().removeIf(sequence -> sequence == 0);
      long count = 0;
      while (true) {
        int length = in.readInt();
        if (length == SnapshotFormat.END_MARK) {
          break;
        }
        FileVersion record = readRecord(in, length);
        unnamed.remove(record.author(), record.authorSequence());
        if (++count > SnapshotFormat.MAX_RECORDS) {
          throw new CorruptSnapshotException(
              "snapshot holds more than " + SnapshotFormat.MAX_RECORDS + " records");
        }
      }
      if (!unnamed.isEmpty()) {
        Map.Entry<DeviceId, Long> first = unnamed.entrySet().iterator().next();
        throw new CorruptSnapshotException(
            "snapshot floor claims "
                + first.getKey()
                + "'s records up to "
                + first.getValue()
                + " but holds no record "
                + first.getKey()
                + "#"
                + first.getValue());
      }
      long declared = in.readLong();
      if (declared != count) {
        throw new CorruptSnapshotException(
            "snapshot declares " + declared + " records but holds " + count);
      }
      return new SnapshotFile(path, Collections.unmodifiableMap(floor), count);
    } catch (EOFException e) {
      throw new CorruptSnapshotException("snapshot ends in the middle of a record");
    }
  }

  /** Per author, the sequence up to which the snapshot covers every record. */
  public Map<DeviceId, Long> floor() {
    return floor;
  }

  public long records() {
    return records;
  }

  /** Receives the records in file order, in batches of at most {@code size}. */
  public interface BatchVisitor {
    /** Returns false to stop reading. */
    boolean accept(List<FileVersion> batch);
  }

  /**
   * Reads the records in file order (parents before children). A record that does not decode throws
   * {@link CorruptSnapshotException}; the checksum makes that a sender's defect.
   */
  public void forEachBatch(int size, BatchVisitor visitor)
      throws IOException, CorruptSnapshotException {
    try (DataInputStream in = input(path)) {
      in.skipNBytes(SnapshotFormat.MAGIC.length);
      readFloor(in);
      List<FileVersion> batch = new ArrayList<>(size);
      while (true) {
        int length = in.readInt();
        if (length == SnapshotFormat.END_MARK) {
          break;
        }
        batch.add(readRecord(in, length));
        if (batch.size() == size) {
          if (!visitor.accept(batch)) {
            return;
          }
          batch = new ArrayList<>(size);
        }
      }
      if (!batch.isEmpty()) {
        visitor.accept(batch);
      }
    }
  }

  private static DataInputStream input(Path path) throws IOException {
    return new DataInputStream(new BufferedInputStream(Files.newInputStream(path), 1 << 16));
  }

  private static void verifyChecksum(Path path, long size)
      throws IOException, CorruptSnapshotException {
    Blake3 hash = Blake3.initHash();
    long body = size - SnapshotFormat.CHECKSUM_LENGTH;
    byte[] expected;
    try (InputStream in = Files.newInputStream(path)) {
      byte[] buffer = new byte[1 << 16];
      long left = body;
      while (left > 0) {
        int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (read < 0) {
          throw new CorruptSnapshotException("snapshot shrank while being read");
        }
        hash.update(buffer, 0, read);
        left -= read;
      }
      expected = in.readNBytes(SnapshotFormat.CHECKSUM_LENGTH);
    }
    byte[] actual = new byte[SnapshotFormat.CHECKSUM_LENGTH];
    hash.doFinalize(actual);
    if (!MessageDigest.isEqual(expected, actual)) {
      throw new CorruptSnapshotException("snapshot checksum does not match its content");
    }
  }

  private static Map<DeviceId, Long> readFloor(DataInputStream in)
      throws IOException, CorruptSnapshotException {
    int authors = in.readInt();
    if (authors < 0 || authors > SnapshotFormat.MAX_AUTHORS) {
      throw new CorruptSnapshotException("snapshot floor names " + authors + " authors");
    }
    Map<DeviceId, Long> floor = new TreeMap<>();
    for (int i = 0; i < authors; i++) {
      int length = in.readInt();
      if (length <= 0 || length > SnapshotFormat.MAX_AUTHOR_BYTES) {
        throw new CorruptSnapshotException(
            "snapshot floor has an author id of " + length + " bytes");
      }
      String id = new String(in.readNBytes(length), StandardCharsets.UTF_8);
      long sequence = in.readLong();
      if (sequence < 0) {
        throw new CorruptSnapshotException("snapshot floor has a negative sequence");
      }
      try {
        floor.put(new DeviceId(id), sequence);
      } catch (IllegalArgumentException e) {
        throw new CorruptSnapshotException("snapshot floor names a malformed author");
      }
    }
    return floor;
  }

  private static FileVersion readRecord(DataInputStream in, int length)
      throws IOException, CorruptSnapshotException {
    checkLength(length);
    byte[] encoded = in.readNBytes(length);
    if (encoded.length < length) {
      throw new EOFException();
    }
    try {
      return VersionCodec.decode(encoded, "snapshot record");
    } catch (CorruptRecordException e) {
      throw new CorruptSnapshotException(e.getMessage());
    }
  }

  private static void checkLength(int length) throws CorruptSnapshotException {
    if (length <= 0 || length > SnapshotFormat.MAX_RECORD_BYTES) {
      throw new CorruptSnapshotException("snapshot holds a record of " + length + " bytes");
    }
  }
}
