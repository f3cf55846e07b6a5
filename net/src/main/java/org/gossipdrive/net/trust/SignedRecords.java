package org.gossipdrive.net.trust;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.identity.Ed25519;
import org.gossipdrive.net.wire.Protocol;
import org.gossipdrive.net.wire.proto.SignedRecord;

/** Signs record bodies with a device key and checks them, with a context label per record kind. */
public final class SignedRecords {
  private SignedRecords() {}

  /** The label keeps a signature over one kind of record from being valid for another. */
  static byte[] labelled(String kind, byte[] body) {
    byte[] label =
        ("gossipdrive/" + kind + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] message = new byte[label.length + body.length];
    System.arraycopy(label, 0, message, 0, label.length);
    System.arraycopy(body, 0, message, label.length, body.length);
    return message;
  }

  public static SignedRecord sign(String kind, byte[] body, DeviceIdentity signer) {
    return SignedRecord.newBuilder()
        .setBody(ByteString.copyFrom(body))
        .setSignerId(signer.id().value())
        .setSignature(ByteString.copyFrom(signer.sign(labelled(kind, body))))
        .build();
  }

  public static boolean verify(String kind, SignedRecord record, byte[] signerPublicKey) {
    return Ed25519.verify(
        signerPublicKey,
        labelled(kind, record.getBody().toByteArray()),
        record.getSignature().toByteArray());
  }

  /** Parses a stored or received record, bounded in size. */
  public static SignedRecord parse(byte[] bytes) throws InvalidProtocolBufferException {
    if (bytes.length > Protocol.MAX_RECORD) {
      throw new InvalidProtocolBufferException(
          "signed record of " + bytes.length + " bytes is too large");
    }
    SignedRecord record = SignedRecord.parseFrom(bytes);
    if (record.getSignature().size() != 64 || record.getSignerId().length() > Protocol.MAX_ID) {
      throw new InvalidProtocolBufferException("malformed signed record");
    }
    return record;
  }
}
