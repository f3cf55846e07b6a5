package org.gossipdrive.net.transport;

import java.lang.System.Logger.Level;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Predicate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.net.identity.DeviceIds;
import org.gossipdrive.net.identity.Ed25519;

/**
 * Accepts a peer by the id its key hashes to, never by names, issuers or dates. TLS 1.3 has already
 * made the peer prove it holds the key (CertificateVerify), so a certificate copied from a trusted
 * device, or one naming a trusted id over another key, fails here or there.
 */
final class PinningTrustManager extends X509ExtendedTrustManager {
  private static final System.Logger LOG = System.getLogger(PinningTrustManager.class.getName());

  private final Predicate<DeviceId> accepted;
  private final String role;

  PinningTrustManager(Predicate<DeviceId> accepted, String role) {
    this.accepted = accepted;
    this.role = role;
  }

  /**
   * The device id a certificate's key hashes to, or a CertificateException for a non-Ed25519 key.
   */
  static DeviceId deviceIdOf(X509Certificate certificate) throws CertificateException {
    String algorithm = certificate.getPublicKey().getAlgorithm();
    if (!algorithm.equals("Ed25519") && !algorithm.equals("EdDSA")) {
      throw new CertificateException("peer key is " + algorithm + ", not Ed25519");
    }
    try {
      return DeviceIds.fromPublicKey(Ed25519.raw(certificate.getPublicKey()));
    } catch (IllegalArgumentException e) {
      throw new CertificateException("peer key is not a valid Ed25519 key");
    }
  }

  private void check(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("peer presented no certificate");
    }
    X509Certificate leaf = chain[0];
    DeviceId id = deviceIdOf(leaf);
    try {
      leaf.verify(leaf.getPublicKey());
    } catch (GeneralSecurityException e) {
      LOG.log(
          Level.WARNING,
          "rejected {0} {1}: its certificate is not signed by its own key",
          role,
          id);
      throw new CertificateException("certificate of " + id + " is not self-signed by its key");
    }
    if (!accepted.test(id)) {
      LOG.log(Level.WARNING, "rejected {0} {1}: not a trusted device", role, id);
      throw new CertificateException("device " + id + " is not trusted");
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
