package org.gossipdrive.fs.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.gossipdrive.net.AtomicFiles;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.identity.IdentityStore;
import org.gossipdrive.net.trust.TrustStore;

/** A device's home directory: identity, name, and the trusted set of its drive. */
final class Home {
  private final Path directory;

  Home(Path directory) {
    this.directory = directory;
  }

  Path directory() {
    return directory;
  }

  /** The device's identity, created on first use. */
  DeviceIdentity identity() {
    return IdentityStore.forHome(directory).loadOrCreate();
  }

  /** The identity of an initialised home, or a one-line error saying how to initialise it. */
  DeviceIdentity requireIdentity() {
    return IdentityStore.forHome(directory)
        .load()
        .orElseThrow(
            () ->
                new CliException(
                    directory + " is not initialised; run: gossipdrive init --home " + directory));
  }

  /** The identity, created on first use, after recording {@code name} if one was given. */
  DeviceIdentity identityNamed(String name) {
    if (name != null) {
      setName(name);
    }
    return identity();
  }

  /**
   * This device's name. A hand-edited {@code device.name} gets the same check as one set by the
   * CLI: it travels to every peer, and they refuse a name with control characters (ADR 37).
   */
  String name() {
    Path file = directory.resolve("device.name");
    String stored;
    try {
      if (!Files.exists(file)) {
        return defaultName();
      }
      stored = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    try {
      return org.gossipdrive.fs.daemon.DeviceName.checked(stored);
    } catch (IllegalArgumentException e) {
      throw new CliException(
          "the device name in " + file + " cannot be used: " + e.getMessage() + "; correct it");
    }
  }

  /** "device ID (name)", the first line {@code init} and {@code id} print; the name escaped. */
  String deviceLine(org.gossipdrive.net.identity.DeviceIdentity identity) {
    return "device "
        + identity.id()
        + " ("
        + org.gossipdrive.fs.daemon.TerminalText.escape(name())
        + ")";
  }

  void setName(String name) {
    String checked;
    try {
      checked = org.gossipdrive.fs.daemon.DeviceName.checked(name);
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
    AtomicFiles.write(directory.resolve("device.name"), checked.getBytes(StandardCharsets.UTF_8));
  }

  TrustStore trust() {
    return TrustStore.open(directory);
  }

  static String newDriveId() {
    byte[] random = new byte[10];
    new SecureRandom().nextBytes(random);
    StringBuilder id = new StringBuilder();
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    long bits = 0;
    int count = 0;
    for (byte b : random) {
      bits = bits << 8 | (b & 0xff);
      count += 8;
      while (count >= 5) {
        id.append(alphabet.charAt((int) (bits >>> (count - 5)) & 31));
        count -= 5;
      }
    }
    return id.toString();
  }

  private static String defaultName() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        host = "device";
      }
    }
    return host.length() > 64 ? host.substring(0, 64) : host;
  }
}
