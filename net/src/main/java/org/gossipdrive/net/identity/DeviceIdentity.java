package org.gossipdrive.net.identity;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.gossipdrive.engine.tree.DeviceId;

/**
 * A device's Ed25519 key pair, the id derived from it, and the self-signed certificate it presents
 * in TLS. Peers trust the key (through the id), never the certificate's names or dates.
 */
public record DeviceIdentity(DeviceId id, KeyPair keys, X509Certificate certificate) {

  /** Makes a new identity with a fresh key. */
  public static DeviceIdentity generate() {
    return fromKeys(Ed25519.generate());
  }

  /** Rebuilds the identity (and a fresh certificate) from a stored key pair. */
  public static DeviceIdentity fromKeys(KeyPair keys) {
    DeviceId id = DeviceIds.fromPublicKey(Ed25519.raw(keys.getPublic()));
    return new DeviceIdentity(id, keys, selfSigned(id, keys));
  }

  public byte[] rawPublicKey() {
    return Ed25519.raw(keys.getPublic());
  }

  public byte[] sign(byte[] message) {
    return Ed25519.sign(keys.getPrivate(), message);
  }

  private static X509Certificate selfSigned(DeviceId id, KeyPair keys) {
    X500Name name = new X500Name("CN=" + id.value() + ",O=GossipDrive");
    Instant now = Instant.now();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            name,
            new BigInteger(64, new SecureRandom()),
            Date.from(now.minus(Duration.ofDays(1))),
            Date.from(now.plus(Duration.ofDays(365 * 100))),
            name,
            keys.getPublic());
    try {
      var signer =
          new JcaContentSignerBuilder("Ed25519")
              .setProvider(Ed25519.provider())
              .build(keys.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (OperatorCreationException | CertificateException e) {
      throw new IllegalStateException("cannot make the device certificate", e);
    }
  }
}
