package org.gossipdrive.engine.chunk;

import java.util.Arrays;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import org.gossipdrive.engine.hash.Blake3;
import org.gossipdrive.engine.hash.ChunkId;
import org.gossipdrive.engine.hash.Hashing;

/**
 * Turns raw chunk bytes into their stored form and back. Stored form: one encoding byte (0 raw, 1
 * LZ4 block), the raw length as a big-endian u32, then the payload. Decoding always re-hashes the
 * raw bytes: a chunk whose content does not match its name is refused.
 */
public final class ChunkCodec {
  static final int HEADER = 5;
  private static final int SAMPLE = 64 << 10;
  private static final byte RAW = 0;
  private static final byte LZ4 = 1;

  private static final LZ4Factory FACTORY = LZ4Factory.fastestInstance();
  private static final LZ4Compressor COMPRESSOR = FACTORY.fastCompressor();
  // The safe decompressor bounds every read and write by the buffers given: stored and network
  // bytes are untrusted until their hash matches, which can only be checked after decompression.
  private static final LZ4SafeDecompressor DECOMPRESSOR = FACTORY.safeDecompressor();

  private final Blake3 blake3;

  public ChunkCodec() {
    this(Hashing.blake3());
  }

  public ChunkCodec(Blake3 blake3) {
    this.blake3 = blake3;
  }

  /** Hashes and, when that saves at least 1/32 of the size, compresses. */
  public EncodedChunk encode(byte[] data, int offset, int length) {
    ChunkId id = ChunkId.of(blake3.hash(data, offset, length));
    EncodedChunk compressed = compressed(id, data, offset, length);
    return compressed != null ? compressed : raw(id, data, offset, length);
  }

  /**
   * A copy of {@code length} bytes of {@code data} laid out behind room for the stored form's
   * header, for {@link #encodeFramed}: a chunk that does not compress then needs no second copy.
   */
  public static byte[] frame(byte[] data, int offset, int length) {
    byte[] framed = new byte[HEADER + length];
    System.arraycopy(data, offset, framed, HEADER, length);
    return framed;
  }

  /**
   * {@link #encode} of the raw bytes in an array from {@link #frame}. When the chunk stays raw
   * (media, archives, anything random) that array becomes its stored form, so the caller gives it
   * up.
   */
  public EncodedChunk encodeFramed(byte[] framed) {
    int length = framed.length - HEADER;
    ChunkId id = ChunkId.of(blake3.hash(framed, HEADER, length));
    EncodedChunk compressed = compressed(id, framed, HEADER, length);
    if (compressed != null) {
      return compressed;
    }
    framed[0] = RAW;
    writeLength(framed, length);
    return new EncodedChunk(id, length, framed);
  }

  /** The LZ4 form, or null when it would not save 1/32 (tried on a sample first when big). */
  private static EncodedChunk compressed(ChunkId id, byte[] data, int offset, int length) {
    if (length >= 4 * SAMPLE && !sampleCompresses(data, offset + length / 2 - SAMPLE / 2)) {
      return null;
    }
    byte[] compressed = new byte[HEADER + COMPRESSOR.maxCompressedLength(length)];
    int compressedLength =
        COMPRESSOR.compress(data, offset, length, compressed, HEADER, compressed.length - HEADER);
    if (compressedLength >= length - (length >>> 5)) {
      return null;
    }
    byte[] stored = Arrays.copyOf(compressed, HEADER + compressedLength);
    stored[0] = LZ4;
    writeLength(stored, length);
    return new EncodedChunk(id, length, stored);
  }

  private static EncodedChunk raw(ChunkId id, byte[] data, int offset, int length) {
    byte[] stored = new byte[HEADER + length];
    stored[0] = RAW;
    System.arraycopy(data, offset, stored, HEADER, length);
    writeLength(stored, length);
    return new EncodedChunk(id, length, stored);
  }

  /**
   * Media, archives and encrypted files do not compress; trying LZ4 on a 64 KiB sample first saves
   * compressing the whole chunk for nothing.
   */
  private static boolean sampleCompresses(byte[] data, int offset) {
    byte[] out = new byte[COMPRESSOR.maxCompressedLength(SAMPLE)];
    int compressed = COMPRESSOR.compress(data, offset, SAMPLE, out, 0, out.length);
    return compressed < SAMPLE - (SAMPLE >>> 5);
  }

  /** Returns the verified raw bytes, or throws {@link CorruptChunkException} naming the chunk. */
  public byte[] decode(ChunkId id, byte[] stored) {
    java.nio.ByteBuffer raw = verified(id, stored);
    if (raw.arrayOffset() == 0 && raw.array().length == raw.remaining()) {
      return raw.array();
    }
    return Arrays.copyOfRange(raw.array(), raw.arrayOffset(), raw.arrayOffset() + raw.remaining());
  }

  /**
   * Like {@link #decode}, but a raw chunk is returned as a read-only view of {@code stored} itself,
   * not copied: copying (and allocating) a fresh megabyte per chunk cost seven times the BLAKE3
   * check on the drive's read path. The caller must not change {@code stored} afterwards.
   */
  public java.nio.ByteBuffer decodeShared(ChunkId id, byte[] stored) {
    return verified(id, stored).asReadOnlyBuffer();
  }

  private java.nio.ByteBuffer verified(ChunkId id, byte[] stored) {
    if (stored.length < HEADER) {
      throw new CorruptChunkException(id, "stored value is only " + stored.length + " bytes");
    }
    int rawLength =
        (stored[1] & 0xff) << 24
            | (stored[2] & 0xff) << 16
            | (stored[3] & 0xff) << 8
            | stored[4] & 0xff;
    if (rawLength < 0 || rawLength > ChunkingParams.LIMIT) {
      throw new CorruptChunkException(
          id, "impossible length " + Integer.toUnsignedString(rawLength));
    }
    byte[] raw;
    int start;
    switch (stored[0]) {
      case RAW -> {
        if (stored.length - HEADER != rawLength) {
          throw new CorruptChunkException(
              id, "holds " + (stored.length - HEADER) + " bytes but claims " + rawLength);
        }
        raw = stored;
        start = HEADER;
      }
      case LZ4 -> {
        raw = new byte[rawLength];
        start = 0;
        try {
          int written =
              DECOMPRESSOR.decompress(stored, HEADER, stored.length - HEADER, raw, 0, rawLength);
          if (written != rawLength) {
            throw new CorruptChunkException(
                id, "decompressed to " + written + " bytes, expected " + rawLength);
          }
        } catch (LZ4Exception e) {
          throw new CorruptChunkException(id, "compressed payload is damaged");
        }
      }
      default -> throw new CorruptChunkException(id, "unknown encoding " + (stored[0] & 0xff));
    }
    if (!id.matches(blake3.hash(raw, start, rawLength))) {
      throw new CorruptChunkException(id, "content does not match its BLAKE3 hash");
    }
    return java.nio.ByteBuffer.wrap(raw, start, rawLength).slice();
  }

  private static void writeLength(byte[] stored, int length) {
    stored[1] = (byte) (length >>> 24);
    stored[2] = (byte) (length >>> 16);
    stored[3] = (byte) (length >>> 8);
    stored[4] = (byte) length;
  }
}
