package org.gossipdrive.engine.hash;

import java.util.Arrays;
import java.util.HexFormat;

/** The BLAKE3-256 hash that names a chunk. Immutable; compares by content. */
public final class ChunkId implements Comparable<ChunkId> {
  /**
   * Names no chunk: marks a hole in a file's extents ({@code ChunkRef#hole}). All zeros, which no
   * content hashes to in practice; a peer that lists it lists a hole, never a chunk to fetch.
   */
  public static final ChunkId HOLE = new ChunkId(new byte[Blake3.HASH_LENGTH]);

  private final byte[] bytes;

  private ChunkId(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Wraps a 32-byte hash (copied). */
  public static ChunkId of(byte[] hash) {
    if (hash.length != Blake3.HASH_LENGTH) {
      throw new IllegalArgumentException("a chunk id is 32 bytes, got " + hash.length);
    }
    return new ChunkId(hash.clone());
  }

  /** Reads 32 bytes at {@code offset}. */
  public static ChunkId of(byte[] source, int offset) {
    return new ChunkId(Arrays.copyOfRange(source, offset, offset + Blake3.HASH_LENGTH));
  }

  /** Hashes {@code data} and names it. */
  public static ChunkId hashOf(byte[] data, int offset, int length) {
    return new ChunkId(Hashing.blake3().hash(data, offset, length));
  }

  public static ChunkId parse(String hex) {
    return of(HexFormat.of().parseHex(hex));
  }

  public byte[] toBytes() {
    return bytes.clone();
  }

  /** Copies the 32 bytes into {@code target} at {@code offset}. */
  public void copyTo(byte[] target, int offset) {
    System.arraycopy(bytes, 0, target, offset, bytes.length);
  }

  public boolean matches(byte[] hash) {
    return Arrays.equals(bytes, hash);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChunkId other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return (bytes[0] & 0xff) << 24
        | (bytes[1] & 0xff) << 16
        | (bytes[2] & 0xff) << 8
        | bytes[3] & 0xff;
  }

  @Override
  public int compareTo(ChunkId o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public String toString() {
    return HexFormat.of().formatHex(bytes);
  }
}
