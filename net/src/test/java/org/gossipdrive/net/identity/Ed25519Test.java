package org.gossipdrive.net.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Ed25519Test {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void signsTheRfc8032Vector() throws Exception {
    PrivateKey key =
        KeyFactory.getInstance("Ed25519")
            .generatePrivate(
                new EdECPrivateKeySpec(
                    NamedParameterSpec.ED25519,
                    HEX.parseHex(
                        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")));
    byte[] expected =
        HEX.parseHex(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    assertArrayEquals(expected, Ed25519.sign(key, new byte[0]));
    byte[] publicKey =
        HEX.parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    assertTrue(Ed25519.verify(publicKey, new byte[0], expected));
    expected[5] ^= 1;
    assertFalse(Ed25519.verify(publicKey, new byte[0], expected));
  }

  @Test
  void interoperatesWithTheJdk() throws Exception {
    KeyPair keys = Ed25519.generate();
    byte[] message = "a version record".getBytes();
    byte[] ours = Ed25519.sign(keys.getPrivate(), message);
    Signature jdk = Signature.getInstance("Ed25519");
    jdk.initVerify(keys.getPublic());
    jdk.update(message);
    assertTrue(jdk.verify(ours), "the JDK accepts our signature");
    jdk.initSign(keys.getPrivate());
    jdk.update(message);
    assertTrue(Ed25519.verify(Ed25519.raw(keys.getPublic()), message, jdk.sign()));
    assertFalse(Ed25519.verify(new byte[31], message, ours), "malformed key is a plain false");
    assertFalse(Ed25519.verify(Ed25519.raw(keys.getPublic()), message, new byte[3]));
  }
}
