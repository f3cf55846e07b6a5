package org.gossipdrive.engine.tree;

import java.util.regex.Pattern;

/**
 * The text id of a device (derived by the network layer from its public key). The engine only needs
 * it as an opaque, comparable, bounded name.
 */
public record DeviceId(String value) implements Comparable<DeviceId> {
  public static final int MAX_LENGTH = 64;
  private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9-]{1," + MAX_LENGTH + "}");

  public DeviceId {
    if (value == null || !FORMAT.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "a device id is 1-" + MAX_LENGTH + " letters, digits or dashes, got: " + value);
    }
  }

  @Override
  public int compareTo(DeviceId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
