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
}
