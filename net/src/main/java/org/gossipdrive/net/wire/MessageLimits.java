package org.gossipdrive.net.wire;

import com.google.protobuf.ByteString;
import org.gossipdrive.net.wire.proto.Frame;
import org.gossipdrive.net.wire.proto.Hello;
import org.gossipdrive.net.wire.proto.JoinRequest;
import org.gossipdrive.net.wire.proto.Lane;

/**
 * Checks the size of every string and bytes field of a decoded frame. Protobuf bounds the frame as
 * a whole; these bounds keep each field to what its meaning allows.
 */
public final class MessageLimits {
  private MessageLimits() {}

  public static void check(Frame frame) throws WireException {
    switch (frame.getBodyCase()) {
      case HELLO -> {
        Hello hello = frame.getHello();
        text("hello.device_id", hello.getDeviceId(), Protocol.MAX_ID);
        text("hello.drive_id", hello.getDriveId(), Protocol.MAX_ID);
        name("hello.device_name", hello.getDeviceName());
        text("hello.software", hello.getSoftware(), Protocol.MAX_NAME);
        if (hello.getLane() == Lane.UNRECOGNIZED || hello.getLane() == Lane.LANE_UNSPECIFIED) {
          throw new WireException("hello names no known lane");
        }
      }
      case JOIN_REQUEST -> {
        JoinRequest join = frame.getJoinRequest();
        exact("join_request.token_id", join.getTokenId(), 16);
        exact("join_request.proof", join.getProof(), 32);
        text("join_request.device_name", join.getDeviceName(), Protocol.MAX_NAME);
        text("join_request.drive_id", join.getDriveId(), Protocol.MAX_ID);
      }
      case JOIN_RESULT -> {
        text("join_result.message", frame.getJoinResult().getMessage(), Protocol.MAX_TEXT);
        bytes(
            "join_result.trusted_devices",
            frame.getJoinResult().getTrustedDevices(),
            Protocol.MAX_RECORD);
      }
      case GOODBYE -> text("goodbye.reason", frame.getGoodbye().getReason(), Protocol.MAX_TEXT);
      case INDEX_DIGEST -> {
        var digest = frame.getIndexDigest();
        if (digest.getAuthorsCount() > Protocol.MAX_AUTHORS) {
          throw new WireException(
              "index_digest lists "
                  + digest.getAuthorsCount()
                  + " authors, the limit is "
                  + Protocol.MAX_AUTHORS);
        }
        for (var author : digest.getAuthorsList()) {
          text("index_digest.author", author.getAuthor(), Protocol.MAX_ID);
        }
      }
      case RECORD_BATCH -> {
        var batch = frame.getRecordBatch();
        if (batch.getRecordsCount() > Protocol.MAX_RECORDS_PER_BATCH) {
          throw new WireException(
              "record_batch holds "
                  + batch.getRecordsCount()
                  + " records, the limit is "
                  + Protocol.MAX_RECORDS_PER_BATCH);
        }
        for (ByteString record : batch.getRecordsList()) {
          bytes("record_batch.records", record, Protocol.MAX_VERSION_RECORD);
        }
      }
      case CHUNK_REQUEST -> {
        var request = frame.getChunkRequest();
        if (request.getIdsCount() > Protocol.MAX_CHUNK_IDS) {
          throw new WireException(
              "chunk_request asks for "
                  + request.getIdsCount()
                  + " chunks, the limit is "
                  + Protocol.MAX_CHUNK_IDS);
        }
        for (ByteString id : request.getIdsList()) {
          exact("chunk_request.ids", id, 32);
        }
      }
      case CHUNK_REPLY -> {
        exact("chunk_reply.id", frame.getChunkReply().getId(), 32);
        bytes("chunk_reply.data", frame.getChunkReply().getData(), Protocol.MAX_CHUNK);
      }
      case CHUNK_PUSH -> {
        exact("chunk_push.id", frame.getChunkPush().getId(), 32);
        bytes("chunk_push.stored", frame.getChunkPush().getStored(), Protocol.MAX_CHUNK + 5);
      }
      case SNAPSHOT_PART -> {
        var part = frame.getSnapshotPart();
        bytes("snapshot_part.data", part.getData(), Protocol.MAX_SNAPSHOT_PART);
        text("snapshot_part.error", part.getError(), Protocol.MAX_TEXT);
        if (part.getTotalBytes() > Protocol.MAX_SNAPSHOT_BYTES
            || part.getOffset() > part.getTotalBytes()
            || part.getTotalBytes() - part.getOffset() < part.getData().size()) {
          throw new WireException(
              "snapshot_part covers bytes "
                  + part.getOffset()
                  + "+"
                  + part.getData().size()
                  + " of "
                  + part.getTotalBytes()
                  + "; the limit is "
                  + Protocol.MAX_SNAPSHOT_BYTES
                  + " bytes");
        }
      }
      case SWIM_PING -> text("swim_ping.target", frame.getSwimPing().getTarget(), Protocol.MAX_ID);
      case SWIM_ACK -> text("swim_ack.target", frame.getSwimAck().getTarget(), Protocol.MAX_ID);
      case LOCK_REQUEST ->
          text("lock_request.path", frame.getLockRequest().getPath(), Protocol.MAX_PATH);
      case LOCK_REPLY -> lockEntry("lock_reply.holder", frame.getLockReply().getHolder());
      case LOCK_ANNOUNCE -> {
        var announce = frame.getLockAnnounce();
        if (announce.getLocksCount() > Protocol.MAX_LOCKS) {
          throw new WireException(
              "lock_announce lists "
                  + announce.getLocksCount()
                  + " locks, the limit is "
                  + Protocol.MAX_LOCKS);
        }
        for (var entry : announce.getLocksList()) {
          lockEntry("lock_announce.locks", entry);
        }
      }
      case LOCK_RELEASE ->
          text("lock_release.path", frame.getLockRelease().getPath(), Protocol.MAX_PATH);
      case LOCK_BREAK -> {
        text("lock_break.path", frame.getLockBreak().getPath(), Protocol.MAX_PATH);
        text("lock_break.holder", frame.getLockBreak().getHolder(), Protocol.MAX_ID);
      }
      case TRUSTED_SET -> {
        text("trusted_set.signer_id", frame.getTrustedSet().getSignerId(), Protocol.MAX_ID);
        bytes("trusted_set.body", frame.getTrustedSet().getBody(), Protocol.MAX_RECORD);
        bytes("trusted_set.signature", frame.getTrustedSet().getSignature(), 64);
      }
      case PEER_ADDRESSES -> {
        var list = frame.getPeerAddresses();
        if (list.getDevicesCount() > Protocol.MAX_DEVICES) {
          throw new WireException(
              "peer_addresses names "
                  + list.getDevicesCount()
                  + " devices, the limit is "
                  + Protocol.MAX_DEVICES);
        }
        for (var device : list.getDevicesList()) {
          text("peer_addresses.device_id", device.getDeviceId(), Protocol.MAX_ID);
          if (device.getAddressesCount() > Protocol.MAX_ADDRESSES) {
            throw new WireException(
                "peer_addresses lists "
                    + device.getAddressesCount()
                    + " addresses for one device, the limit is "
                    + Protocol.MAX_ADDRESSES);
          }
          for (String address : device.getAddressesList()) {
            text("peer_addresses.address", address, Protocol.MAX_ADDRESS);
          }
        }
      }
      case DATA, PING, PONG, SNAPSHOT_OFFER, SNAPSHOT_REQUEST, BODY_NOT_SET -> {
        // DATA is bounded by the frame limit; unknown bodies are ignored by the receiver.
      }
    }
  }

  private static void lockEntry(String field, org.gossipdrive.net.wire.proto.LockEntry entry)
      throws WireException {
    text(field + ".path", entry.getPath(), Protocol.MAX_PATH);
    text(field + ".holder", entry.getHolder(), Protocol.MAX_ID);
    name(field + ".holder_name", entry.getHolderName());
  }

  /** A device name: bounded and free of control characters ({@link ReceivedNames}). */
  static void name(String field, String value) throws WireException {
    var fault = ReceivedNames.fault(value);
    if (fault.isPresent()) {
      throw new WireException(field + " " + fault.get());
    }
  }

  static void text(String field, String value, int max) throws WireException {
    if (value.length() > max) {
      throw new WireException(field + " is " + value.length() + " characters, the limit is " + max);
    }
  }

  static void bytes(String field, ByteString value, int max) throws WireException {
    if (value.size() > max) {
      throw new WireException(field + " is " + value.size() + " bytes, the limit is " + max);
    }
  }

  static void exact(String field, ByteString value, int length) throws WireException {
    if (value.size() != length) {
      throw new WireException(field + " is " + value.size() + " bytes, it must be " + length);
    }
  }
}
