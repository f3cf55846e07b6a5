package org.gossipdrive.fs.daemon;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The daemon's proof that it holds the home's API token, asked by the CLI before it sends the token
 * or believes an answer (ADR 38): HMAC-SHA256 keyed with the token over a fixed label, the port the
 * daemon serves on and the CLI's fresh nonce. Another local user listening on the port that a stale
 * {@code daemon.json} names cannot compute it, and the port in it keeps a relay to the real daemon
 * on another port from passing its proof on.
 */
public final class ApiProof {
  /** Bytes of nonce the CLI sends: fresh per check, so no proof can be replayed. */
  public static final int NONCE_BYTES = 32;

  private static final byte[] LABEL =
      "gossipdrive local API proof v1".getBytes(StandardCharsets.US_ASCII);

  private ApiProof() {}

  /** The proof for {@code nonce} by the holder of {@code token} serving on {@code port}. */
  public static byte[] of(byte[] token, int port, byte[] nonce) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(token, "HmacSHA256"));
      mac.update(LABEL);
      mac.update(ByteBuffer.allocate(4).putInt(port).array());
      return mac.doFinal(nonce);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is missing from this JDK", e);
    }
  }

  /** Whether {@code presented} is the proof for {@code nonce}, compared in constant time. */
  public static boolean matches(byte[] token, int port, byte[] nonce, byte[] presented) {
    return MessageDigest.isEqual(of(token, port, nonce), presented);
  }
}
