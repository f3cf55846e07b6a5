package org.gossipdrive.net.invite;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLKeyException;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.net.transport.Connection;

/**
 * Proof that a joiner knows the invitation's secret, bound to one TLS session: HMAC-SHA256 keyed by
 * the secret over the session's exported keying material and the joiner's id. A proof seen by a
 * relay is useless on any other connection, and the secret itself never crosses the wire.
 */
final class JoinProof {
  static final String EXPORTER_LABEL = "EXPORTER-gossipdrive-join";

  private JoinProof() {}

  static byte[] compute(byte[] secret, Connection connection, byte[] tokenId, DeviceId joiner)
      throws SSLKeyException {
    byte[] binding = connection.exportKeyingMaterial(EXPORTER_LABEL, tokenId, 32);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update(binding);
      mac.update(joiner.value().getBytes(StandardCharsets.US_ASCII));
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }

  static boolean matches(byte[] expected, byte[] actual) {
    return MessageDigest.isEqual(expected, actual);
  }
}
