package org.gossipdrive.engine.chunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkCodecTest {
  private final ChunkCodec codec = new ChunkCodec();

  @Test
  void compressibleChunksAreStoredCompressedAndRoundTrip() {
    byte[] text =
        "the quick brown fox jumps over the lazy dog "
            .repeat(5000)
            .getBytes(StandardCharsets.US_ASCII);
    EncodedChunk chunk = codec.encode(text, 0, text.length);
    assertTrue(chunk.stored().length < text.length / 10, "stored " + chunk.stored().length);
    assertArrayEquals(text, codec.decode(chunk.id(), chunk.stored()));
  }

  @Test
  void incompressibleChunksAreStoredRaw() {
    byte[] noise = new byte[1 << 20];
    new Random(1).nextBytes(noise);
    EncodedChunk chunk = codec.encode(noise, 0, noise.length);
    assertEquals(noise.length + ChunkCodec.HEADER, chunk.stored().length);
    assertArrayEquals(noise, codec.decode(chunk.id(), chunk.stored()));
  }

  /** The write path's form: the same stored bytes as encode, and a raw chunk keeps its frame. */
  @Test
  void aFramedEncodeStoresWhatEncodeStoresAndKeepsARawFrame() {
    byte[] noise = randomBytes(1 << 20);
    byte[] text = "abcabcabd ".repeat(30000).getBytes(StandardCharsets.US_ASCII);
    for (byte[] data : new byte[][] {noise, text, new byte[0], new byte[] {7}}) {
      EncodedChunk plain = codec.encode(data, 0, data.length);
      byte[] framed = ChunkCodec.frame(data, 0, data.length);
      EncodedChunk fromFrame = codec.encodeFramed(framed);
      assertEquals(plain.id(), fromFrame.id());
      assertArrayEquals(plain.stored(), fromFrame.stored());
      assertArrayEquals(data, codec.decode(fromFrame.id(), fromFrame.stored()));
    }
    byte[] framed = ChunkCodec.frame(noise, 0, noise.length);
    assertTrue(codec.encodeFramed(framed).stored() == framed, "a raw chunk is stored uncopied");
  }

  /** The read path's form: a view of the stored value, still verified before it is returned. */
  @Test
  void aSharedDecodeOfARawChunkIsAVerifiedReadOnlyView() {
    byte[] noise = randomBytes(1 << 20);
    EncodedChunk chunk = codec.encode(noise, 0, noise.length);
    java.nio.ByteBuffer shared = codec.decodeShared(chunk.id(), chunk.stored());
    assertTrue(shared.isReadOnly());
    assertEquals(noise.length, shared.capacity());
    byte[] copy = new byte[noise.length];
    shared.get(0, copy);
    assertArrayEquals(noise, copy);
    byte[] damaged = chunk.stored().clone();
    damaged[damaged.length - 1] ^= 1;
    assertThrows(CorruptChunkException.class, () -> codec.decodeShared(chunk.id(), damaged));
  }

  @Test
  void aFlippedByteIsRefusedWithTheChunkNamed() {
    byte[] data = "hello hello hello hello hello hello".getBytes(StandardCharsets.US_ASCII);
    for (byte[] input : new byte[][] {data, randomBytes(4096)}) {
      EncodedChunk chunk = codec.encode(input, 0, input.length);
      for (int i = 0; i < chunk.stored().length; i++) {
        byte[] damaged = chunk.stored().clone();
        damaged[i] ^= 0x40;
        CorruptChunkException e =
            assertThrows(
                CorruptChunkException.class, () -> codec.decode(chunk.id(), damaged), "byte " + i);
        assertEquals(chunk.id(), e.chunk());
        assertTrue(e.getMessage().contains(chunk.id().toString()));
      }
    }
  }

  @Test
  void truncatedValuesAreRefused() {
    byte[] input = randomBytes(1000);
    EncodedChunk chunk = codec.encode(input, 0, input.length);
    for (int length = 0; length < chunk.stored().length; length += 7) {
      byte[] truncated = java.util.Arrays.copyOf(chunk.stored(), length);
      assertThrows(CorruptChunkException.class, () -> codec.decode(chunk.id(), truncated));
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }
}
