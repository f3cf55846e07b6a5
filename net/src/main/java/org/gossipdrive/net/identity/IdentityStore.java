package org.gossipdrive.net.identity;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Optional;
import java.util.ServiceLoader;
import org.gossipdrive.net.AtomicFiles;

/**
 * Loads or creates the device identity of a home directory. The private key goes to the OS keyring
 * when a provider reaches one, else to a 0600 file with a one-line warning; the public key sits in
 * {@code device.pub} so the id can be shown without unlocking anything.
 */
public final class IdentityStore {
  private static final System.Logger LOG = System.getLogger(IdentityStore.class.getName());
  static final String ACCOUNT = "device";

  private final Path home;
  private final SecretStore secrets;
  private static final java.util.Set<Path> WARNED =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  public IdentityStore(Path home, SecretStore secrets) {
    this.home = home;
    this.secrets = secrets;
  }

  /** The OS keyring if a provider reaches one, otherwise 0600 files under {@code home/keys}. */
  public static IdentityStore forHome(Path home) {
    for (SecretStoreProvider provider : ServiceLoader.load(SecretStoreProvider.class)) {
      Optional<SecretStore> keyring = provider.open(home);
      if (keyring.isPresent()) {
        return new IdentityStore(home, keyring.get());
      }
    }
    FileSecretStore files = new FileSecretStore(home.resolve("keys"));
    // Said once per home and process: a command opens the store several times.
    if (WARNED.add(home.toAbsolutePath().normalize())) {
      LOG.log(
          Level.WARNING,
          "no OS keyring reachable; the device key is kept in {0}",
          files.describe());
    }
    return new IdentityStore(home, files);
  }

  public SecretStore secrets() {
    return secrets;
  }

  public Optional<DeviceIdentity> load() {
    Optional<byte[]> privateKey = secrets.load(ACCOUNT);
    if (privateKey.isEmpty()) {
      return Optional.empty();
    }
    Path publicFile = home.resolve("device.pub");
    byte[] raw;
    try {
      raw = java.nio.file.Files.readAllBytes(publicFile);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(
          "the device key exists but " + publicFile + " cannot be read: " + e.getMessage());
    }
    KeyPair keys = new KeyPair(Ed25519.publicKey(raw), Ed25519.privateKey(privateKey.get()));
    byte[] probe = "gossipdrive key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    if (!Ed25519.verify(raw, probe, Ed25519.sign(keys.getPrivate(), probe))) {
      throw new IllegalStateException(publicFile + " does not match the stored private key");
    }
    return Optional.of(DeviceIdentity.fromKeys(keys));
  }

  /**
   * The identity, generated on first use. Never replaces one: if {@code device.pub} exists while
   * its private key cannot be found (a keyring that does not answer, a removed key file), this
   * refuses rather than give the device a new id its drive does not know.
   */
  public DeviceIdentity loadOrCreate() {
    return load()
        .orElseGet(
            () -> {
              Path publicFile = home.resolve("device.pub");
              if (java.nio.file.Files.exists(publicFile)) {
                throw new IllegalStateException(
                    publicFile
                        + " holds this device's identity but its private key is not in "
                        + secrets.describe()
                        + "; refusing to replace the identity (restore the key, or use a new"
                        + " home)");
              }
              DeviceIdentity identity = DeviceIdentity.generate();
              secrets.save(ACCOUNT, identity.keys().getPrivate().getEncoded());
              AtomicFiles.write(home.resolve("device.pub"), identity.rawPublicKey());
              return identity;
            });
  }
}
