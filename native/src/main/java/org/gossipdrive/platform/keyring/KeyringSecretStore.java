package org.gossipdrive.platform.keyring;

import com.github.javakeyring.Keyring;
import com.github.javakeyring.PasswordAccessException;
import java.util.Base64;
import java.util.Optional;
import org.gossipdrive.net.identity.SecretStore;

/** Secrets kept in the OS keyring, base64-encoded (keyrings store text). */
final class KeyringSecretStore implements SecretStore {
  private final Keyring keyring;
  private final String service;

  KeyringSecretStore(Keyring keyring, String service) {
    this.keyring = keyring;
    this.service = service;
  }

  @Override
  public String describe() {
    return "the OS keyring (" + service + ")";
  }

  @Override
  public Optional<byte[]> load(String account) {
    try {
      return Optional.of(Base64.getDecoder().decode(keyring.getPassword(service, account)));
    } catch (PasswordAccessException e) {
      return Optional.empty();
    }
  }

  @Override
  public void save(String account, byte[] secret) {
    try {
      keyring.setPassword(service, account, Base64.getEncoder().encodeToString(secret));
    } catch (PasswordAccessException e) {
      throw new IllegalStateException(
          "the OS keyring refused to store the device key: " + e.getMessage());
    }
  }
}
