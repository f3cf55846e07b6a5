package org.gossipdrive.net.trust;

import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.identity.Ed25519;
import org.gossipdrive.net.wire.proto.DeviceNameBody;

/**
 * A rename's proof: the renamed device's own signature over its new name and stamp. A set is signed
 * as a whole by whoever last changed it, so without this a receiver could not tell a device's own
 * rename from another member's (ADR 39: a device may rename only itself).
 */
final class NameProofs {
  private static final String KIND = "device-name";

  private NameProofs() {}

  static byte[] sign(String driveId, DeviceIdentity self, String name, long namedAtMillis) {
    return self.sign(SignedRecords.labelled(KIND, body(driveId, self.id(), name, namedAtMillis)));
  }

  /** Whether {@code member}'s name carries a valid signature by the member itself. */
  static boolean valid(String driveId, TrustedSet.Member member) {
    return member.nameSignature().length == 64
        && Ed25519.verify(
            member.publicKey(),
            SignedRecords.labelled(
                KIND, body(driveId, member.id(), member.name(), member.namedAtMillis())),
            member.nameSignature());
  }

  private static byte[] body(String driveId, DeviceId device, String name, long namedAtMillis) {
    return DeviceNameBody.newBuilder()
        .setDriveId(driveId)
        .setDeviceId(device.value())
        .setName(name)
        .setNamedAtMillis(namedAtMillis)
        .build()
        .toByteArray();
  }
}
