package org.gossipdrive.fs.daemon;

/** The rule for a device's name, wherever one is given (init, join, rename). */
public final class DeviceName {
  private DeviceName() {}

  /**
   * The name, stripped.
   *
   * @throws IllegalArgumentException saying what a name must be
   */
  public static String checked(String name) {
    String stripped = name.strip();
    if (stripped.isEmpty()
        || stripped.length() > 64
        || stripped.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("a device name is 1 to 64 printable characters");
    }
    return stripped;
  }
}
