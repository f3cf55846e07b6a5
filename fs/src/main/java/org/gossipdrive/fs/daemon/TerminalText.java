package org.gossipdrive.fs.daemon;

import java.util.Locale;

/**
 * Makes text from elsewhere (device names, lock holders, file names, anything a daemon answers)
 * safe to print to a terminal: every control character is shown as a visible escape ({@code \x1b},
 * {@code \u009b}) instead of being sent raw, so a name cannot move the cursor, clear the screen,
 * set the window title or hide the rest of a line (ADR 37).
 *
 * <p>Shown escaped: C0 (U+0000 to U+001F), DEL, C1 (U+0080 to U+009F), the bidirectional embedding,
 * override and isolate marks (they reorder what follows them on the line), the line and paragraph
 * separators, and unpaired surrogates. A backslash is left as it is: the aim is a safe screen, not
 * a reversible encoding.
 */
public final class TerminalText {
  private TerminalText() {}

  /** {@code text} with every control character escaped, line breaks included: one name. */
  public static String escape(String text) {
    return escape(text, false);
  }

  /** {@code text} with every control character but line feed and tab escaped: a whole report. */
  public static String escapeKeepingLines(String text) {
    return escape(text, true);
  }

  private static String escape(String text, boolean keepLines) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean kept = keepLines && (c == '\n' || c == '\t');
      boolean shown = kept || !(isControl(c) || isUnpairedSurrogate(text, i));
      if (shown) {
        if (out != null) {
          out.append(c);
        }
        continue;
      }
      if (out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      out.append(
          c < 0x80
              ? String.format(Locale.ROOT, "\\x%02x", (int) c)
              : String.format(Locale.ROOT, "\\u%04x", (int) c));
    }
    return out == null ? text : out.toString();
  }

  private static boolean isControl(char c) {
    return Character.isISOControl(c)
        || (c >= '\u202a' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069')
        || c == '\u200e'
        || c == '\u200f'
        || c == '\u061c'
        || c == '\u2028'
        || c == '\u2029';
  }

  private static boolean isUnpairedSurrogate(String text, int i) {
    char c = text.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(text.charAt(i - 1));
    }
    return false;
  }
}
