package org.gossipdrive.engine.tree;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/** A file's identity, independent of its path: renames keep it, so content never re-transfers. */
public final class FileId implements Comparable<FileId> {
  public static final int LENGTH = 16;

  /** The root directory, the same on every peer. */
  public static final FileId ROOT = new FileId(new byte[LENGTH]);

  private static final SecureRandom RANDOM = new SecureRandom();
  private final byte[] bytes;

  private FileId(byte[] bytes) {
    this.bytes = bytes;
  }

  public static FileId random() {
    byte[] bytes = new byte[LENGTH];
    RANDOM.nextBytes(bytes);
    bytes[0] |= 1; // never collide with ROOT
    return new FileId(bytes);
  }

  public static FileId of(byte[] source, int offset) {
    return new FileId(Arrays.copyOfRange(source, offset, offset + LENGTH));
  }

  public static FileId parse(String hex) {
    byte[] bytes = HexFormat.of().parseHex(hex);
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a file id is 16 bytes of hex");
    }
    return new FileId(bytes);
  }

  public byte[] toBytes() {
    return bytes.clone();
  }

  public boolean isRoot() {
    return equals(ROOT);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FileId other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public int compareTo(FileId o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public String toString() {
    return HexFormat.of().formatHex(bytes);
  }
}
