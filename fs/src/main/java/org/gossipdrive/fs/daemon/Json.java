package org.gossipdrive.fs.daemon;

/** The little JSON the CLI and the daemon print: strings quoted and escaped. */
public final class Json {
  private Json() {}

  public static String quote(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        default -> {
          // C0 must be escaped in JSON; DEL and C1 may not be, but are, so that printing the
          // JSON to a terminal is as safe as printing the text (ADR 37).
          if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
