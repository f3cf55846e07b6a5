package org.gossipdrive.net.identity;

import java.util.Optional;

/**
 * Where a device keeps its private key: the OS keyring when one is reachable (a provider from
 * {@code native/}), otherwise a 0600 file in the home directory.
 */
public interface SecretStore {
  /** A short description for logs, e.g. "Secret Service" or "file ~/.gossipdrive/device.key". */
  String describe();

  Optional<byte[]> load(String account);

  void save(String account, byte[] secret);
}
