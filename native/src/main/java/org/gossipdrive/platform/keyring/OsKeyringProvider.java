package org.gossipdrive.platform.keyring;

import com.github.javakeyring.BackendNotSupportedException;
import com.github.javakeyring.Keyring;
import com.github.javakeyring.PasswordAccessException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.gossipdrive.net.identity.SecretStore;
import org.gossipdrive.net.identity.SecretStoreProvider;

/**
 * The OS keyring through java-keyring (JNA): Secret Service on Linux, Keychain on macOS, Credential
 * Manager on Windows. A keyring that is absent, locked or slow to answer (no D-Bus session on a
 * server) counts as unreachable, and the caller falls back to a 0600 file.
 */
public final class OsKeyringProvider implements SecretStoreProvider {
  private static final long PROBE_SECONDS = 3;
  private static final String SERVICE_PREFIX = "GossipDrive ";

  @Override
  public Optional<SecretStore> open(Path home) {
    if (isLinuxWithoutSessionBus()) {
      return Optional.empty();
    }
    String service = SERVICE_PREFIX + home.toAbsolutePath().normalize();
    try {
      Keyring keyring =
          CompletableFuture.supplyAsync(OsKeyringProvider::create)
              .get(PROBE_SECONDS, TimeUnit.SECONDS);
      if (keyring == null) {
        return Optional.empty();
      }
      // A keyring that exists but is locked or refuses access is no better than none.
      try {
        keyring.getPassword(service, "probe");
      } catch (PasswordAccessException notThere) {
        // expected: nothing stored under "probe", but the keyring answered
      }
      return Optional.of(new KeyringSecretStore(keyring, service));
    } catch (Exception | LinkageError e) {
      return Optional.empty();
    }
  }

  private static Keyring create() {
    try {
      return Keyring.create();
    } catch (BackendNotSupportedException e) {
      return null;
    }
  }

  /** Secret Service lives on the D-Bus session bus; without one, asking would only time out. */
  static boolean isLinuxWithoutSessionBus() {
    return System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux")
        && (System.getenv("DBUS_SESSION_BUS_ADDRESS") == null
            || System.getenv("DBUS_SESSION_BUS_ADDRESS").isBlank());
  }
}
