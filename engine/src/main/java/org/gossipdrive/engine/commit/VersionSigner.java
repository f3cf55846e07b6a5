package org.gossipdrive.engine.commit;

/**
 * Signs the versions this device authors (port: the network layer signs with the device's Ed25519
 * key). The engine signs {@link org.gossipdrive.engine.tree.VersionCodec#signedBytes}.
 */
@FunctionalInterface
public interface VersionSigner {
  /** For replicas that never replicate (tests, benchmarks): versions carry no signature. */
  VersionSigner UNSIGNED = bytes -> new byte[0];

  byte[] sign(byte[] signedBytes);
}
