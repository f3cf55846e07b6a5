package org.gossipdrive.net.wire;

import java.util.Locale;
import java.util.Optional;

/**
 * The rule for a device name that arrives from another device (a Hello, a join request, a lock
 * entry, a trusted set): at most {@link Protocol#MAX_NAME} characters and no control character (C0,
 * DEL, C1). A name is printed to terminals and shown on the status page, so one holding ESC could
 * rewrite the screen it lands on; names set on this device obey a stricter rule already, so an
 * honest peer never breaks this one. Invalid UTF-8 never gets this far: protobuf refuses it while
 * decoding a proto3 string.
 */
public final class ReceivedNames {
  private ReceivedNames() {}

  /** What is wrong with {@code name}, or empty when it may be kept. The name is never echoed. */
  public static Optional<String> fault(String name) {
    if (name.length() > Protocol.MAX_NAME) {
      return Optional.of("is " + name.length() + " characters, the limit is " + Protocol.MAX_NAME);
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isISOControl(c)) {
        return Optional.of(
            String.format(Locale.ROOT, "contains the control character U+%04X", (int) c));
      }
    }
    return Optional.empty();
  }
}
