package org.gossipdrive.net.trust;

import org.gossipdrive.engine.commit.VersionSigner;
import org.gossipdrive.engine.tree.FileVersion;
import org.gossipdrive.engine.tree.VersionCodec;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.identity.Ed25519;

/**
 * Ed25519 signatures on version records: the engine's {@link VersionSigner} for this device, and
 * the check a receiver runs before using a record from anyone.
 */
public final class VersionSignatures {
  private static final String KIND = "version";

  private VersionSignatures() {}

  /** Signs this device's versions (label + VersionCodec.signedBytes). */
  public static VersionSigner signer(DeviceIdentity identity) {
    return bytes -> identity.sign(SignedRecords.labelled(KIND, bytes));
  }

  /**
   * Why a record was refused, or null when it is authentic and its author trusted: a member, or a
   * removed device whose record is from before its removal.
   */
  public static String problem(FileVersion version, TrustedSet trusted) {
    var author = trusted.member(version.author());
    if (author.isEmpty()) {
      return "author "
          + version.author()
          + " is not a trusted device of drive "
          + trusted.driveId();
    }
    var removal = trusted.removal(version.author());
    if (removal.isPresent() && !removal.get().keeps(version.authorSequence())) {
      // Records up to the removal stay history; later ones are what a removed (perhaps stolen)
      // device wrote after it lost its place, whatever time stamp it puts on them (ADR 39).
      return "author "
          + version.author()
          + " was removed from the drive after its record #"
          + removal.get().lastSequence()
          + "; #"
          + version.authorSequence()
          + " is refused";
    }
    if (!Ed25519.verify(
        author.get().publicKey(),
        SignedRecords.labelled(KIND, VersionCodec.signedBytes(version)),
        version.signature())) {
      return "signature of "
          + version.author()
          + "#"
          + version.authorSequence()
          + " does not verify";
    }
    return null;
  }
}
