package org.gossipdrive.net.transport;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.function.Predicate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.net.identity.DeviceIdentity;

/**
 * JDK TLS 1.3 contexts that present this device and pin peers by device id (public for benchmarks).
 */
public final class TlsContexts {
  private TlsContexts() {}

  public static SSLContext create(
      DeviceIdentity identity, Predicate<DeviceId> acceptedPeers, String role) {
    try {
      SSLContext context = SSLContext.getInstance("TLSv1.3");
      context.init(
          new KeyManager[] {new DeviceKeyManager(identity)},
          new TrustManager[] {new PinningTrustManager(acceptedPeers, role)},
          new SecureRandom());
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot provide TLS 1.3", e);
    }
  }
}
