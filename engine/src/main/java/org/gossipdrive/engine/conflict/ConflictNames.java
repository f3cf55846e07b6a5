package org.gossipdrive.engine.conflict;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Names conflict copies: {@code name (conflict <device name> <yyyy-mm-dd hhmmss>).ext}. The time is
 * the losing version's clock stamp in UTC, so every peer derives the same name. Also names what a
 * failed save left behind: {@code name (unsaved <device name> <yyyy-mm-dd hhmmss>).ext}.
 */
public final class ConflictNames {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HHmmss").withZone(ZoneOffset.UTC);

  private ConflictNames() {}

  public static String copyName(String name, String deviceName, Instant when) {
    return tagged(name, "conflict", deviceName, when);
  }

  /**
   * The name of a save's temporary file that was never renamed into place (the save failed or the
   * app died), kept under its document's name so that the app can open it: {@code scene (unsaved
   * studio 2026-12-03 081500).blend}.
   */
  public static String recoveryName(String documentName, String deviceName, Instant when) {
    return tagged(documentName, "unsaved", deviceName, when);
  }

  private static String tagged(String name, String word, String deviceName, Instant when) {
    String tag = " (" + word + " " + sanitize(deviceName) + " " + STAMP.format(when) + ")";
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
