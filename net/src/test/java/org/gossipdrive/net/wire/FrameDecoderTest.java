package org.gossipdrive.net.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import org.gossipdrive.net.wire.proto.Data;
import org.gossipdrive.net.wire.proto.Frame;
import org.gossipdrive.net.wire.proto.Hello;
import org.gossipdrive.net.wire.proto.JoinRequest;
import org.gossipdrive.net.wire.proto.Lane;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
  private static byte[] framed(Frame frame) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new FrameWriter(out).write(frame);
    return out.toByteArray();
  }

  private static Frame readOne(byte[] bytes) throws IOException, WireException {
    return new FrameReader(new ByteArrayInputStream(bytes), Protocol.MAX_FRAME).read();
  }

  private static final Frame HELLO =
      Frame.newBuilder()
          .setHello(Hello.newBuilder().setProtocolMajor(1).setDeviceId("A").setLane(Lane.CONTROL))
          .build();

  @Test
  void framesRoundTrip() throws Exception {
    Frame data =
        Frame.newBuilder()
            .setData(Data.newBuilder().setStream(7).setPayload(ByteString.copyFromUtf8("hi")))
            .build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    FrameWriter writer = new FrameWriter(out);
    writer.write(HELLO);
    writer.write(data);
    FrameReader reader =
        new FrameReader(new ByteArrayInputStream(out.toByteArray()), Protocol.MAX_FRAME);
    assertEquals(HELLO, reader.read());
    assertEquals(data, reader.read());
    assertNull(reader.read(), "clean end of stream between frames");
  }

  @Test
  void oversizedFramesAreRefusedBeforeReadingThem() {
    byte[] header = {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
    WireException e = assertThrows(WireException.class, () -> readOne(header));
    assertTrue(e.getMessage().contains("exceeds the limit"), e.getMessage());
  }

  @Test
  void truncatedFramesAreRefused() throws Exception {
    byte[] whole = framed(HELLO);
    for (int length = 1; length < whole.length; length++) {
      byte[] cut = java.util.Arrays.copyOf(whole, length);
      WireException e = assertThrows(WireException.class, () -> readOne(cut), "cut at " + length);
      assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
  }

  @Test
  void addressListsBeyondTheirLimitsAreRefused() {
    var device = org.gossipdrive.net.wire.proto.DeviceAddresses.newBuilder().setDeviceId("A");
    for (int i = 0; i <= Protocol.MAX_ADDRESSES; i++) {
      device.addAddresses("10.0.0." + i + ":4000");
    }
    Frame tooMany =
        Frame.newBuilder()
            .setPeerAddresses(
                org.gossipdrive.net.wire.proto.PeerAddresses.newBuilder().addDevices(device))
            .build();
    WireException e =
        assertThrows(WireException.class, () -> FrameReader.decode(tooMany.toByteArray()));
    assertTrue(e.getMessage().contains("peer_addresses"), e.getMessage());
    Frame longAddress =
        Frame.newBuilder()
            .setPeerAddresses(
                org.gossipdrive.net.wire.proto.PeerAddresses.newBuilder()
                    .addDevices(
                        org.gossipdrive.net.wire.proto.DeviceAddresses.newBuilder()
                            .setDeviceId("A")
                            .addAddresses("x".repeat(Protocol.MAX_ADDRESS + 1))))
            .build();
    e = assertThrows(WireException.class, () -> FrameReader.decode(longAddress.toByteArray()));
    assertTrue(e.getMessage().contains("peer_addresses.address"), e.getMessage());
  }

  @Test
  void aPushedChunkWithAMalformedIdIsRefused() {
    Frame push =
        Frame.newBuilder()
            .setChunkPush(
                org.gossipdrive.net.wire.proto.ChunkPush.newBuilder()
                    .setId(ByteString.copyFrom(new byte[31]))
                    .setStored(ByteString.copyFromUtf8("x")))
            .build();
    WireException e =
        assertThrows(WireException.class, () -> FrameReader.decode(push.toByteArray()));
    assertTrue(e.getMessage().contains("chunk_push.id"), e.getMessage());
  }

  @Test
  void wrongWireTypesAndOversizedFieldsAreRefused() {
    // field 1 (hello) sent as a varint instead of a message
    assertThrows(WireException.class, () -> FrameReader.decode(new byte[] {0x08, 0x01}));
    Frame longName =
        Frame.newBuilder()
            .setHello(HELLO.getHello().toBuilder().setDeviceName("x".repeat(500)))
            .build();
    WireException e =
        assertThrows(WireException.class, () -> FrameReader.decode(longName.toByteArray()));
    assertTrue(e.getMessage().contains("hello.device_name"), e.getMessage());
    Frame badProof =
        Frame.newBuilder()
            .setJoinRequest(
                JoinRequest.newBuilder()
                    .setTokenId(ByteString.copyFrom(new byte[16]))
                    .setProof(ByteString.copyFrom(new byte[5])))
            .build();
    assertTrue(
        assertThrows(WireException.class, () -> FrameReader.decode(badProof.toByteArray()))
            .getMessage()
            .contains("proof"));
    Frame noLane = Frame.newBuilder().setHello(Hello.newBuilder().setDeviceId("A")).build();
    assertThrows(WireException.class, () -> FrameReader.decode(noLane.toByteArray()));
  }

  @Test
  void unknownMessageTypesDecodeAsEmptyBodiesForTheReceiverToIgnore() throws Exception {
    // field 99, length-delimited, 3 bytes: what a newer minor version might send
    byte[] future = {(byte) 0x9a, 0x06, 0x03, 1, 2, 3};
    assertEquals(Frame.BodyCase.BODY_NOT_SET, FrameReader.decode(future).getBodyCase());
  }

  @Test
  void oneHundredThousandRandomInputsOnlyEverGiveFramesOrWireErrors() throws Exception {
    Random random = new Random(20261122);
    byte[] valid = framed(HELLO);
    int refused = 0;
    for (int i = 0; i < 100_000; i++) {
      byte[] input;
      if (i % 2 == 0) {
        input = new byte[random.nextInt(64)];
        random.nextBytes(input);
        if (input.length >= 4) {
          input[0] = 0; // mostly plausible lengths, so the body decoder is exercised
          input[1] = 0;
          input[2] = 0;
          input[3] = (byte) Math.min(input.length - 4 + random.nextInt(3), 255);
        }
      } else {
        input = valid.clone();
        for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
          input[4 + random.nextInt(input.length - 4)] = (byte) random.nextInt(256);
        }
      }
      try {
        readOne(input);
      } catch (WireException expected) {
        refused++;
      }
    }
    assertTrue(refused > 10_000, "the fuzzer must reach the error paths, refused " + refused);
  }
}
