package org.gossipdrive.engine.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.gossipdrive.engine.codec.CorruptRecordException;
import org.gossipdrive.engine.hash.ChunkId;
import org.junit.jupiter.api.Test;

class VersionCodecTest {
  static FileVersion sample() {
    byte[] hash = new byte[32];
    hash[0] = 7;
    TreeMap<String, byte[]> xattrs = new TreeMap<>();
    xattrs.put("user.color", new byte[] {1, 2, 3});
    return new FileVersion(
        FileId.random(),
        FileId.ROOT,
        "scène finale.blend",
        FileType.FILE,
        false,
        0644,
        1_700_000_000_123_456_789L,
        10,
        List.of(new ChunkRef(ChunkId.of(hash), 10)),
        "",
        xattrs,
        VersionVector.of(Map.of(new DeviceId("ALICE"), 3L, new DeviceId("BOB"), 1L)),
        HybridTimestamp.of(1_700_000_000_000L, 5),
        new DeviceId("ALICE"),
        42,
        new byte[] {9, 9});
  }

  @Test
  void roundTrips() {
    FileVersion v = sample();
    FileVersion back = VersionCodec.decode(VersionCodec.encode(v), "test");
    assertEquals(v.id(), back.id());
    assertEquals(v.name(), back.name());
    assertEquals(v.chunks(), back.chunks());
    assertEquals(v.versionVector(), back.versionVector());
    assertEquals(v.timestamp(), back.timestamp());
    assertArrayEquals(v.xattrs().get("user.color"), back.xattrs().get("user.color"));
    assertArrayEquals(v.signature(), back.signature());
    assertEquals(42, back.authorSequence());
    assertArrayEquals(VersionCodec.encode(v), VersionCodec.encode(back));
  }

  @Test
  void everyTruncationIsRefusedClearly() {
    byte[] encoded = VersionCodec.encode(sample());
    for (int length = 0; length < encoded.length; length++) {
      byte[] truncated = Arrays.copyOf(encoded, length);
      CorruptRecordException e =
          assertThrows(
              CorruptRecordException.class, () -> VersionCodec.decode(truncated, "version X"));
      assertTrue(e.getMessage().startsWith("version X: "), e.getMessage());
    }
  }

  @Test
  void trailingGarbageIsRefused() {
    byte[] encoded = VersionCodec.encode(sample());
    byte[] longer = Arrays.copyOf(encoded, encoded.length + 3);
    assertThrows(CorruptRecordException.class, () -> VersionCodec.decode(longer, "v"));
  }

  @Test
  void randomGarbageNeverDecodesOrExplodes() {
    Random random = new Random(1);
    for (int i = 0; i < 2000; i++) {
      byte[] garbage = new byte[random.nextInt(300)];
      random.nextBytes(garbage);
      if (garbage.length > 0) {
        garbage[0] = 1;
      }
      try {
        VersionCodec.decode(garbage, "garbage");
      } catch (CorruptRecordException expected) {
        // the only acceptable failure
      }
    }
  }

  @Test
  void hugeCountsAreRefusedBeforeAllocating() {
    byte[] encoded = VersionCodec.encode(sample());
    // chunk count sits after format(1) id(16) parent(16) name(2+n) type(1) deleted(1) mode(4)
    // mtime(8) size(8)
    int nameLength = "scène finale.blend".getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    int at = 1 + 16 + 16 + 2 + nameLength + 1 + 1 + 4 + 8 + 8;
    encoded[at] = 0x7f;
    CorruptRecordException e =
        assertThrows(CorruptRecordException.class, () -> VersionCodec.decode(encoded, "v"));
    assertTrue(e.getMessage().contains("chunk count"), e.getMessage());
  }
}
