package org.gossipdrive.engine.snapshot;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.codec.digest.Blake3;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.engine.tree.FileVersion;
import org.gossipdrive.engine.tree.VersionCodec;

/** Writes a snapshot file (see {@link SnapshotFormat}): header, records, then the checksum. */
public final class SnapshotWriter implements AutoCloseable {
  private final Blake3 checksum = Blake3.initHash();
  private final OutputStream file;
  private final DataOutputStream out;
  private long records;
  private boolean finished;

  public SnapshotWriter(Path path, Map<DeviceId, Long> floor) throws IOException {
    this.file = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
    this.out = new DataOutputStream(new HashingStream(file, checksum));
    out.write(SnapshotFormat.MAGIC);
    out.writeInt(floor.size());
    for (Map.Entry<DeviceId, Long> entry : floor.entrySet()) {
      byte[] author = entry.getKey().value().getBytes(StandardCharsets.UTF_8);
      out.writeInt(author.length);
      out.write(author);
      out.writeLong(entry.getValue());
    }
  }

  public void add(FileVersion record) throws IOException {
    byte[] encoded = VersionCodec.encode(record);
    out.writeInt(encoded.length);
    out.write(encoded);
    records++;
  }

  /** Ends the file with the record count and the checksum; returns the number of records. */
  public long finish() throws IOException {
    out.writeInt(SnapshotFormat.END_MARK);
    out.writeLong(records);
    out.flush();
    byte[] hash = new byte[SnapshotFormat.CHECKSUM_LENGTH];
    checksum.doFinalize(hash);
    file.write(hash);
    file.flush();
    finished = true;
    return records;
  }

  public boolean finished() {
    return finished;
  }

  @Override
  public void close() throws IOException {
    file.close();
  }

  /** Feeds every byte written to the checksum. */
  private static final class HashingStream extends java.io.FilterOutputStream {
    private final Blake3 hash;

    HashingStream(OutputStream out, Blake3 hash) {
      super(out);
      this.hash = hash;
    }

    @Override
    public void write(int b) throws IOException {
      hash.update(new byte[] {(byte) b});
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      hash.update(b, off, len);
      out.write(b, off, len);
    }
  }
}
