package org.gossipdrive.engine.hash;

/** Pure-Java BLAKE3 (Apache Commons Codec): correct everywhere, about ten times slower than C. */
public final class JavaBlake3 implements Blake3 {
  @Override
  public String name() {
    return "commons-codec";
  }

  @Override
  public void hash(byte[] input, int offset, int length, byte[] out, int outOffset) {
    org.apache.commons.codec.digest.Blake3 hasher =
        org.apache.commons.codec.digest.Blake3.initHash();
    hasher.update(input, offset, length);
    hasher.doFinalize(out, outOffset, HASH_LENGTH);
  }
}
