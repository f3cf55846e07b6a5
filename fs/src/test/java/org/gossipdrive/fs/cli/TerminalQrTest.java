package org.gossipdrive.fs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.decoder.Decoder;
import java.util.List;
import org.junit.jupiter.api.Test;

class TerminalQrTest {
  /** Reads the half-block drawing back into modules and decodes it with zxing's decoder. */
  @Test
  void theDrawnCodeDecodesToTheToken() throws Exception {
    String token = "gd1." + "A".repeat(300) + "-_xyz";
    List<String> rows = TerminalQr.render(token).lines().toList();
    int width = rows.getFirst().length();
    int height = rows.size() * 2;
    BitMatrix drawn = new BitMatrix(width, height);
    for (int row = 0; row < rows.size(); row++) {
      for (int x = 0; x < width; x++) {
        char c = rows.get(row).charAt(x);
        boolean topDark = c == '▄' || c == ' ';
        boolean bottomDark = c == '▀' || c == ' ';
        if (topDark) {
          drawn.set(x, 2 * row);
        }
        if (bottomDark) {
          drawn.set(x, 2 * row + 1);
        }
      }
    }
    BitMatrix expected = TerminalQr.matrix(token);
    int size = expected.getWidth() - 4;
    BitMatrix modules = new BitMatrix(size);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        if (drawn.get(x + 2, y + 2)) {
          modules.set(x, y);
        }
      }
    }
    assertEquals(token, new Decoder().decode(modules).getText());
  }
}
