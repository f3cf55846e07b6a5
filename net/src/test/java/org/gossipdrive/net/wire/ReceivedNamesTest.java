package org.gossipdrive.net.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Optional;
import org.gossipdrive.net.wire.proto.Frame;
import org.gossipdrive.net.wire.proto.Hello;
import org.gossipdrive.net.wire.proto.Lane;
import org.gossipdrive.net.wire.proto.LockAnnounce;
import org.gossipdrive.net.wire.proto.LockEntry;
import org.junit.jupiter.api.Test;

/** Device names from the network are checked where their frames are decoded. */
class ReceivedNamesTest {
  private static final String TITLE = "\u001b]0;pwned\u0007";

  @Test
  void printableNamesInAnyScriptAreKept() {
    assertEquals(Optional.empty(), ReceivedNames.fault("bob's laptop"));
    assertEquals(Optional.empty(), ReceivedNames.fault("Ноутбук 東京 🚀"));
  }

  @Test
  void controlCharactersAndOverlongNamesAreRefusedWithoutEchoingTheName() {
    assertEquals(Optional.of("contains the control character U+001B"), ReceivedNames.fault(TITLE));
    assertEquals(
        Optional.of("contains the control character U+009B"), ReceivedNames.fault("a\u009b2J"));
    assertEquals(
        Optional.of("contains the control character U+007F"), ReceivedNames.fault("del\u007f"));
    assertEquals(
        Optional.of("contains the control character U+000A"), ReceivedNames.fault("two\nlines"));
    assertTrue(
        ReceivedNames.fault("x".repeat(Protocol.MAX_NAME + 1)).orElseThrow().contains("limit"));
  }

  @Test
  void aHelloOrLockEntryNamedWithAnEscapeSequenceIsRefusedOnReceipt() {
    Frame hello =
        Frame.newBuilder()
            .setHello(Hello.newBuilder().setLane(Lane.CONTROL).setDeviceName(TITLE))
            .build();
    WireException refusedHello =
        assertThrows(WireException.class, () -> MessageLimits.check(hello));
    assertEquals(
        "hello.device_name contains the control character U+001B", refusedHello.getMessage());
    Frame announce =
        Frame.newBuilder()
            .setLockAnnounce(
                LockAnnounce.newBuilder()
                    .addLocks(LockEntry.newBuilder().setPath("/a.odt").setHolderName("\u001b[2J")))
            .build();
    WireException refusedLock =
        assertThrows(WireException.class, () -> MessageLimits.check(announce));
    assertTrue(refusedLock.getMessage().contains("holder_name"), refusedLock.getMessage());
  }

  @Test
  void invalidUtf8InANameIsRefusedWhileDecoding() throws Exception {
    byte[] valid =
        Frame.newBuilder()
            .setHello(Hello.newBuilder().setLane(Lane.CONTROL).setDeviceName("ab"))
            .build()
            .toByteArray();
    // The name's two bytes become 0xC3 0x28: a lead byte without its continuation.
    byte[] broken = valid.clone();
    int at = indexOf(broken, new byte[] {'a', 'b'});
    broken[at] = (byte) 0xC3;
    broken[at + 1] = (byte) 0x28;
    assertThrows(InvalidProtocolBufferException.class, () -> Frame.parseFrom(broken));
    assertFalse(Frame.parseFrom(valid).getHello().getDeviceName().isEmpty());
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (haystack[i] == needle[0] && haystack[i + 1] == needle[1]) {
        return i;
      }
    }
    throw new AssertionError("not found");
  }
}
