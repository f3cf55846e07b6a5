package org.gossipdrive.net.identity;

import java.nio.file.Path;
import java.util.Optional;

/** Service-provider port for OS keyrings; implementations live in {@code native/}. */
public interface SecretStoreProvider {
  /** A working keyring for this home, or empty when none is reachable (no daemon, no session). */
  Optional<SecretStore> open(Path home);
}
