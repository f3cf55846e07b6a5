package org.gossipdrive.fs.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Text from elsewhere is printed with its control characters shown, never sent raw. */
class TerminalTextTest {
  @Test
  void escapeSequencesAreShownVisibly() {
    assertEquals("\\x1b]0;pwned\\x07", TerminalText.escape("\u001b]0;pwned\u0007"));
    assertEquals("\\x1b[2J", TerminalText.escape("\u001b[2J"));
    assertEquals("\\u009b2J", TerminalText.escape("\u009b2J"), "C1 CSI");
    assertEquals("a\\x7fb", TerminalText.escape("a\u007fb"));
    assertEquals("over\\x0dwrite", TerminalText.escape("over\rwrite"));
    assertEquals("evil\\u202etxt.exe", TerminalText.escape("evil\u202etxt.exe"), "bidi override");
    assertEquals("lone \\ud800", TerminalText.escape("lone \ud800"));
  }

  @Test
  void aNameLosesItsLineBreaksButAReportKeepsItsLines() {
    assertEquals("a\\x0afake line", TerminalText.escape("a\nfake line"));
    assertEquals(
        "peers\n  bob\\x1b[2J\tonline\n",
        TerminalText.escapeKeepingLines("peers\n  bob\u001b[2J\tonline\n"));
  }

  @Test
  void printableTextOfAnyScriptIsUnchanged() {
    String text = "bob's laptop — Ноутбук 東京 🚀 C:\\path";
    assertSame(text, TerminalText.escape(text));
    assertTrue(TerminalText.escape("").isEmpty());
  }

  @Test
  void jsonQuotingEscapesDelAndC1Too() {
    assertEquals("\"\\u001b[2J \\u009b \\u007f\"", Json.quote("\u001b[2J \u009b \u007f"));
  }
}
