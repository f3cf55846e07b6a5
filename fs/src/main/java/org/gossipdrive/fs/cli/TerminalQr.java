package org.gossipdrive.fs.cli;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.util.Map;

/**
 * Draws a QR code with Unicode half blocks, two modules per character row, dark on a light terminal
 * background inverted so it scans on dark terminals too.
 */
final class TerminalQr {
  private static final int QUIET_ZONE = 2;

  private TerminalQr() {}

  static String render(String text) {
    BitMatrix matrix;
    try {
      matrix = matrix(text);
    } catch (WriterException e) {
      throw new CliException("the token is too long for a QR code: " + e.getMessage());
    }
    StringBuilder out = new StringBuilder();
    for (int y = 0; y < matrix.getHeight(); y += 2) {
      for (int x = 0; x < matrix.getWidth(); x++) {
        boolean top = matrix.get(x, y);
        boolean bottom = y + 1 < matrix.getHeight() && matrix.get(x, y + 1);
        // Light modules are drawn as blocks: scanners read light-on-dark terminals this way.
        out.append(!top && !bottom ? '█' : !top ? '▀' : !bottom ? '▄' : ' ');
      }
      out.append('\n');
    }
    return out.toString();
  }

  /** The module matrix, quiet zone included. */
  static BitMatrix matrix(String text) throws WriterException {
    return new QRCodeWriter()
        .encode(
            text,
            BarcodeFormat.QR_CODE,
            0,
            0,
            Map.of(
                EncodeHintType.ERROR_CORRECTION,
                ErrorCorrectionLevel.L,
                EncodeHintType.MARGIN,
                QUIET_ZONE));
  }
}
