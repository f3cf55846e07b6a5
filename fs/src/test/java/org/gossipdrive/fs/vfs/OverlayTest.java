package org.gossipdrive.fs.vfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverlayTest {
  @TempDir Path staging;

  private static byte[] bytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  private static byte[] read(Overlay overlay, long offset, int length) throws IOException {
    byte[] out = new byte[length];
    overlay.read(null, 0, offset, out, 0, length);
    return out;
  }

  @Test
  void writtenBytesReadBackAndGapsReadAsZeros() throws IOException {
    try (Overlay overlay = new Overlay(staging, "f")) {
      overlay.write(0, bytes("ab"), 2);
      overlay.write(4, bytes("cd"), 2);
      assertArrayEquals(new byte[] {'a', 'b', 0, 0, 'c', 'd'}, read(overlay, 0, 6));
      assertFalse(overlay.writtenFromStart(6), "bytes 2-3 were never written");
      assertTrue(overlay.writtenFromStart(2));
      assertEquals(0, overlay.firstChange());
    }
  }

  @Test
  void aCutDropsWhatLiesPastItAndIsTheFirstChange() throws IOException {
    try (Overlay overlay = new Overlay(staging, "f")) {
      overlay.write(10, bytes("xyz"), 3);
      assertEquals(10, overlay.firstChange());
      overlay.cut(4, 13);
      assertEquals(4, overlay.firstChange());
      assertFalse(overlay.baseDropped());
      overlay.write(4, bytes("q"), 1);
      assertArrayEquals(new byte[] {0, 0, 0, 0, 'q', 0}, read(overlay, 0, 6));
      overlay.cut(0, 5);
      assertTrue(overlay.baseDropped());
      overlay.clear();
      assertFalse(overlay.baseDropped(), "a commit starts a new overlay");
      assertEquals(Long.MAX_VALUE, overlay.firstChange());
    }
  }

  @Test
  void aPunchedRangeReadsAsZerosUntilWrittenAgain() throws IOException {
    try (Overlay overlay = new Overlay(staging, "f")) {
      overlay.write(0, bytes("abcdefgh"), 8);
      overlay.punch(2, 6);
      assertArrayEquals(bytes("ab\0\0\0\0gh"), read(overlay, 0, 8));
      assertEquals(new Overlay.Run(false, 2), overlay.runAt(null, 0, 0, 8));
      assertEquals(new Overlay.Run(true, 6), overlay.runAt(null, 0, 2, 8));
      assertEquals(new Overlay.Run(false, 8), overlay.runAt(null, 0, 6, 8));
      overlay.write(3, bytes("X"), 1);
      assertArrayEquals(bytes("ab\0X\0\0gh"), read(overlay, 0, 8));
      assertEquals(new Overlay.Run(true, 3), overlay.runAt(null, 0, 2, 8));
      assertEquals(new Overlay.Run(false, 4), overlay.runAt(null, 0, 3, 8));
    }
  }

  @Test
  void whatNothingWroteIsAHole() throws IOException {
    try (Overlay overlay = new Overlay(staging, "f")) {
      overlay.write(100, bytes("z"), 1);
      assertEquals(new Overlay.Run(true, 100), overlay.runAt(null, 0, 0, 1 << 20));
      assertEquals(new Overlay.Run(false, 101), overlay.runAt(null, 0, 100, 1 << 20));
      assertEquals(new Overlay.Run(true, 1 << 20), overlay.runAt(null, 0, 101, 1 << 20));
    }
  }

  /** Regression: the spill file mirrored the drive file's offsets; ext4 refused one at 700 TB. */
  @Test
  void writesFarPastWhatTheLocalDiskAllowsAreStaged() throws IOException {
    try (Overlay overlay = new Overlay(staging, "f")) {
      long far = 700_000_000_000_000L;
      byte[] data = new byte[3 * Staging.SLAB + 5];
      new java.util.Random(1).nextBytes(data);
      overlay.write(far - 7, data, data.length);
      overlay.write(5, bytes("near"), 4);
      assertArrayEquals(data, read(overlay, far - 7, data.length));
      assertArrayEquals(bytes("near"), read(overlay, 5, 4));
      overlay.cut(far, far - 7 + data.length);
      overlay.write(far + 1, bytes("again"), 5);
      assertArrayEquals(bytes("\0again"), read(overlay, far, 6));
      assertArrayEquals(java.util.Arrays.copyOf(data, 7), read(overlay, far - 7, 7));
    }
  }
}
