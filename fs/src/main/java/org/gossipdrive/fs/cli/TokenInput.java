package org.gossipdrive.fs.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

/**
 * Where {@code join} gets its invitation token when it is not on the command line, where every
 * local user could read it in {@code /proc/PID/cmdline} (issue 17, F8): a prompt that does not echo
 * on a terminal, else the first line of standard input ({@code gossipdrive join < token}).
 */
final class TokenInput {
  /** Far more than any token (they are refused past 4,096 characters): input is never unbounded. */
  private static final int MAX_CHARS = 16_384;

  private TokenInput() {}

  /**
   * The token: {@code argument} itself unless it is absent or {@code -}; then typed at a prompt
   * when standard input is a terminal, else read from standard input.
   */
  static String read(String argument) {
    if (argument != null && !argument.equals("-")) {
      return argument;
    }
    java.io.Console console = System.console();
    if (argument == null && console != null && console.isTerminal()) {
      char[] typed = console.readPassword("Invitation token (not shown): ");
      return required(typed == null ? "" : new String(typed));
    }
    return required(firstLine(System.in));
  }

  private static String required(String token) {
    if (token.isBlank()) {
      throw new CliException(
          "no invitation token given: pass it on standard input (gossipdrive join < token-file)"
              + " or type it at the prompt");
    }
    return token.strip();
  }

  /** The first line of {@code in}, at most {@link #MAX_CHARS} characters; "" when it is empty. */
  private static String firstLine(InputStream in) {
    Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
    StringBuilder line = new StringBuilder();
    try {
      for (int c; (c = reader.read()) != -1 && c != '\n'; ) {
        if (line.length() == MAX_CHARS) {
          throw new CliException(
              "the token on standard input is over " + MAX_CHARS + " characters: not a token");
        }
        line.append((char) c);
      }
    } catch (IOException e) {
      throw new CliException("cannot read the token from standard input: " + e.getMessage());
    }
    return line.toString();
  }
}
