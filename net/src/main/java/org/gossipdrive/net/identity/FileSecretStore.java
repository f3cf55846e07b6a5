package org.gossipdrive.net.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import org.gossipdrive.net.AtomicFiles;

/**
 * Keeps secrets in files readable only by their owner (mode 0600). Refuses to read a key file that
 * others can read: it may have been copied or tampered with.
 */
public final class FileSecretStore implements SecretStore {
  private final Path directory;

  public FileSecretStore(Path directory) {
    this.directory = directory;
  }

  private Path file(String account) {
    if (!account.matches("[a-z0-9.-]{1,64}")) {
      throw new IllegalArgumentException("bad secret name " + account);
    }
    return directory.resolve(account + ".key");
  }

  @Override
  public String describe() {
    return "0600 files in " + directory;
  }

  @Override
  public Optional<byte[]> load(String account) {
    Path file = file(account);
    try {
      if (!Files.exists(file)) {
        return Optional.empty();
      }
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (!permissions.equals(PosixFilePermissions.fromString("rw-------"))) {
        throw new IllegalStateException(
            file
                + " has permissions "
                + PosixFilePermissions.toString(permissions)
                + "; a private key must be 0600 (chmod 600 "
                + file
                + ")");
      }
      return Optional.of(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  @Override
  public void save(String account, byte[] secret) {
    AtomicFiles.write(file(account), secret);
  }
}
