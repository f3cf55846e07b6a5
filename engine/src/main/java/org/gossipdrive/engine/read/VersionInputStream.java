package org.gossipdrive.engine.read;

import java.io.InputStream;

/** Streams a version from start to end through a {@link VersionReader}. */
public final class VersionInputStream extends InputStream {
  private final VersionReader reader;
  private long position;

  public VersionInputStream(VersionReader reader) {
    this.reader = reader;
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] target, int offset, int length) {
    if (length == 0) {
      return 0;
    }
    int n = reader.read(position, target, offset, length);
    if (n == 0) {
      return -1;
    }
    position += n;
    return n;
  }

  @Override
  public long skip(long n) {
    long skipped = Math.max(0, Math.min(n, reader.size() - position));
    position += skipped;
    return skipped;
  }
}
