package org.gossipdrive.engine.hash;

/**
 * A BLAKE3-256 implementation. The engine names every chunk and chains every ledger entry with it,
 * so the native and the pure-Java implementations must agree bit for bit (the official test vectors
 * check that).
 */
public interface Blake3 {
  int HASH_LENGTH = 32;

  /** A short name for logs and benchmarks, e.g. "native" or "commons-codec". */
  String name();

  /**
   * Writes the 32-byte hash of {@code input[offset, offset+length)} into {@code out[outOffset]}.
   */
  void hash(byte[] input, int offset, int length, byte[] out, int outOffset);

  default byte[] hash(byte[] input, int offset, int length) {
    byte[] out = new byte[HASH_LENGTH];
    hash(input, offset, length, out, 0);
    return out;
  }

  default byte[] hash(byte[] input) {
    return hash(input, 0, input.length);
  }
}
