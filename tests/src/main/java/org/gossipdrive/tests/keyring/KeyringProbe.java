package org.gossipdrive.tests.keyring;

import java.nio.file.Path;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.identity.IdentityStore;

/**
 * Child process of the keyring test: loads or creates a device identity and says where its key
 * lives.
 */
public final class KeyringProbe {
  private KeyringProbe() {}

  public static void main(String[] args) {
    IdentityStore store = IdentityStore.forHome(Path.of(args[0]));
    DeviceIdentity identity = store.loadOrCreate();
    System.out.println("ID " + identity.id().value());
    System.out.println("STORE " + store.secrets().describe());
    System.out.flush();
    // dbus-java keeps non-daemon threads; the daemon will hold the connection, a probe just ends.
    System.exit(0);
  }
}
