package org.gossipdrive.engine.conflict;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Names conflict copies: {@code name (conflict <device name> <yyyy-mm-dd hhmmss>).ext}. The time is
 * the losing version's clock stamp in UTC, so every peer derives the same name.
 */
public final class ConflictNames {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HHmmss").withZone(ZoneOffset.UTC);

  private ConflictNames() {}

  public static String copyName(String name, String deviceName, Instant when) {
    String tag = " (conflict " + sanitize(deviceName) + " " + STAMP.format(when) + ")";
    int dot = name.lastIndexOf('.');
    // ".bashrc" has no extension; "archive.tar.gz" keeps only ".gz" after the tag.
    if (dot <= 0) {
      return name + tag;
    }
    return name.substring(0, dot) + tag + name.substring(dot);
  }

  private static String sanitize(String deviceName) {
    String cleaned = deviceName.replace('/', '-').replace('\0', '-').strip();
    return cleaned.isEmpty() ? "unknown" : cleaned;
  }
}
