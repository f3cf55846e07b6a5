package org.gossipdrive.net.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.wire.proto.Data;
import org.gossipdrive.net.wire.proto.Frame;
import org.gossipdrive.net.wire.proto.Lane;
import org.junit.jupiter.api.Test;

class TransportTest {
  private static final String DRIVE = "DRIVE1";

  private static Frame data(int i, int size) {
    byte[] payload = new byte[size];
    Arrays.fill(payload, (byte) i);
    return Frame.newBuilder()
        .setData(Data.newBuilder().setStream(i).setPayload(ByteString.copyFrom(payload)))
        .build();
  }

  @Test
  void trustedPeersConnectOverTls13WithChaCha20AndExchangeMessagesOnBothLanes() throws Exception {
    try (TestPeer alice = new TestPeer(DRIVE).listen();
        TestPeer bob = new TestPeer(DRIVE)) {
      alice.trust(bob);
      bob.trust(alice);
      PeerLink link = bob.transport.connectPeer(alice.address, alice.identity.id());
      assertEquals("TLSv1.3", link.control().protocol());
      assertEquals("TLS_CHACHA20_POLY1305_SHA256", link.control().cipherSuite());
      assertEquals(Lane.CONTROL, link.control().lane());
      assertEquals(Lane.BULK, link.bulk().lane());
      link.control().send(data(1, 10));
      link.bulk().send(data(2, 3 << 20));
      TestPeer.await(() -> alice.received.size() == 2, "alice receives both frames");
      assertEquals(2, alice.opened.size());
      assertEquals(bob.identity.id(), alice.opened.getFirst().peer());
      alice.opened.getFirst().send(data(3, 5));
      TestPeer.await(() -> bob.received.size() == 1, "bob receives the reply");
      assertEquals(3, bob.received.getFirst().getData().getStream());
    }
  }

  @Test
  void anUntrustedDeviceIsRejectedBeforeAnyMessage() throws Exception {
    try (TestPeer alice = new TestPeer(DRIVE).listen();
        TestPeer stranger = new TestPeer(DRIVE)) {
      stranger.trust(alice);
      assertThrows(
          IOException.class,
          () -> stranger.transport.connect(alice.address, alice.identity.id(), Lane.CONTROL));
      Thread.sleep(200);
      assertTrue(alice.opened.isEmpty());
      assertTrue(alice.received.isEmpty());
    }
  }

  @Test
  void aCertificateNamingATrustedIdOverAnotherKeyIsRejected() throws Exception {
    try (TestPeer alice = new TestPeer(DRIVE).listen()) {
      DeviceIdentity bob = DeviceIdentity.generate();
      alice.trusted.add(bob.id());
      // Mallory copies bob's certificate but has only her own key.
      DeviceIdentity mallory = DeviceIdentity.generate();
      DeviceIdentity forged =
          new DeviceIdentity(
              bob.id(),
              new KeyPair(bob.keys().getPublic(), mallory.keys().getPrivate()),
              bob.certificate());
      try (TestPeer impostor = new TestPeer(DRIVE, forged, TransportConfig.defaults())) {
        impostor.trust(alice);
        assertThrows(
            IOException.class,
            () -> impostor.transport.connect(alice.address, alice.identity.id(), Lane.CONTROL));
      }
      // ...or presents her own key in a certificate whose name claims bob's id.
      DeviceIdentity claimsBob =
          new DeviceIdentity(bob.id(), mallory.keys(), mallory.certificate());
      try (TestPeer impostor = new TestPeer(DRIVE, claimsBob, TransportConfig.defaults())) {
        impostor.trust(alice);
        assertThrows(
            IOException.class,
            () -> impostor.transport.connect(alice.address, alice.identity.id(), Lane.CONTROL));
      }
      Thread.sleep(200);
      assertTrue(alice.opened.isEmpty(), "no connection reached the application");
      assertTrue(alice.received.isEmpty());
    }
  }

  @Test
  void aRelayTerminatingTlsWithItsOwnKeyIsRejectedByBothEnds() throws Exception {
    try (TestPeer alice = new TestPeer(DRIVE).listen();
        TestPeer bob = new TestPeer(DRIVE);
        TestPeer relay = new TestPeer(DRIVE).listen()) {
      alice.trust(bob);
      bob.trust(alice);
      relay.trust(alice);
      relay.trust(bob);
      // bob dials the relay believing it is alice: the pin on alice's id fails.
      HandshakeException toBob =
          assertThrows(
              HandshakeException.class,
              () -> bob.transport.connect(relay.address, alice.identity.id(), Lane.CONTROL));
      assertTrue(toBob.getMessage().contains("TLS handshake failed"), toBob.getMessage());
      // the relay dials alice as itself: alice does not trust it.
      assertThrows(
          IOException.class,
          () -> relay.transport.connect(alice.address, alice.identity.id(), Lane.CONTROL));
      Thread.sleep(200);
      assertTrue(alice.opened.isEmpty());
      assertTrue(bob.received.isEmpty());
    }
  }

  @Test
  void aFlippedCiphertextByteDropsTheConnectionAndDeliversNothingCorrupt() throws Exception {
    try (TestPeer alice = new TestPeer(DRIVE).listen();
        TestPeer bob = new TestPeer(DRIVE);
        TamperingRelay relay = new TamperingRelay(alice.address, 200_000)) {
      alice.trust(bob);
      bob.trust(alice);
      Connection connection =
          bob.transport.connect(relay.address(), alice.identity.id(), Lane.BULK);
      try {
        for (int i = 0; i < 100; i++) {
          connection.send(data(i, 10_000));
        }
      } catch (IOException expected) {
        // the connection may already be gone
      }
      TestPeer.await(() -> !alice.closed.isEmpty(), "alice drops the tampered connection");
      assertTrue(relay.flipped(), "the relay flipped a byte");
      assertTrue(alice.received.size() < 100, "delivery stopped at the damage");
      for (int i = 0; i < alice.received.size(); i++) {
        assertEquals(data(i, 10_000), alice.received.get(i), "message " + i + " arrived intact");
      }
    }
  }

  @Test
  void aSilentPeerIsDroppedByKeepalive() throws Exception {
    TransportConfig quick =
        TransportConfig.defaults().withKeepalive(Duration.ofMillis(100), Duration.ofMillis(600));
    try (TestPeer alice = new TestPeer(DRIVE, DeviceIdentity.generate(), quick).listen();
        TestPeer bob = new TestPeer(DRIVE);
        TamperingRelay stall = new TamperingRelay(alice.address, Long.MAX_VALUE)) {
      alice.trust(bob);
      bob.trust(alice);
      bob.transport.connect(stall.address(), alice.identity.id(), Lane.CONTROL);
      TestPeer.await(() -> alice.opened.size() == 1, "connection up");
      stall.freeze();
      TestPeer.await(() -> !alice.closed.isEmpty(), "keepalive closes the silent connection");
      assertTrue(alice.closed.getFirst().contains("no traffic"), alice.closed.getFirst());
    }
  }

  @Test
  void unknownMessageTypesAreIgnoredAndTheConnectionStays() throws Exception {
    try (TestPeer alice = new TestPeer(DRIVE).listen();
        TestPeer bob = new TestPeer(DRIVE)) {
      alice.trust(bob);
      bob.trust(alice);
      Connection connection =
          bob.transport.connect(alice.address, alice.identity.id(), Lane.CONTROL);
      Frame future = Frame.parseFrom(new byte[] {(byte) 0x9a, 0x06, 0x03, 1, 2, 3});
      connection.send(future);
      connection.send(data(9, 3));
      TestPeer.await(() -> alice.received.size() == 1, "the known message after it");
      assertEquals(9, alice.received.getFirst().getData().getStream());
      assertTrue(connection.isOpen());
      assertFalse(alice.opened.isEmpty());
    }
  }

  @Test
  void theDialerConnectsWhenThePeerAppearsAndReconnectsAfterItRestarts() throws Exception {
    DeviceIdentity aliceIdentity = DeviceIdentity.generate();
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    InetSocketAddress where = new InetSocketAddress("127.0.0.1", port);
    try (TestPeer bob = new TestPeer(DRIVE);
        PeerDialer dialer =
            new PeerDialer(bob.transport, Duration.ofMillis(50), Duration.ofMillis(400))) {
      bob.trusted.add(aliceIdentity.id());
      java.util.List<PeerLink> links = new java.util.concurrent.CopyOnWriteArrayList<>();
      dialer.maintain(aliceIdentity.id(), java.util.List.of(where), links::add);
      Thread.sleep(300); // nobody listens yet: the dialer keeps retrying
      assertTrue(links.isEmpty());
      for (int life = 1; life <= 2; life++) {
        try (TestPeer alice = new TestPeer(DRIVE, aliceIdentity, TransportConfig.defaults())) {
          alice.trust(bob);
          alice.transport.listen(where);
          int expected = life;
          TestPeer.await(() -> links.size() == expected, "link " + expected);
          assertTrue(dialer.link(aliceIdentity.id()).isPresent());
        }
        TestPeer.await(
            () -> dialer.link(aliceIdentity.id()).isEmpty(), "link down after alice stops");
      }
    }
  }

  /** A TCP relay that can flip one byte after N bytes, or stop forwarding. */
  static final class TamperingRelay implements AutoCloseable {
    private final ServerSocket server;
    private final long flipAt;
    private final AtomicLong forwarded = new AtomicLong();
    private volatile boolean flipped;
    private volatile boolean frozen;

    TamperingRelay(InetSocketAddress target, long flipAt) throws IOException {
      this.flipAt = flipAt;
      server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
      Thread.ofVirtual()
          .start(
              () -> {
                try (Socket client = server.accept();
                    Socket upstream = new Socket(target.getAddress(), target.getPort())) {
                  Thread back = Thread.ofVirtual().start(() -> pump(upstream, client, false));
                  pump(client, upstream, true);
                  back.join();
                } catch (IOException | InterruptedException ignored) {
                  // test over
                }
              });
    }

    InetSocketAddress address() {
      return new InetSocketAddress("127.0.0.1", server.getLocalPort());
    }

    boolean flipped() {
      return flipped;
    }

    void freeze() {
      frozen = true;
    }

    private void pump(Socket from, Socket to, boolean tamper) {
      try (InputStream in = from.getInputStream();
          OutputStream out = to.getOutputStream()) {
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) > 0; ) {
          while (frozen) {
            Thread.sleep(50);
          }
          if (tamper && !flipped && forwarded.get() + n > flipAt) {
            buffer[(int) (flipAt - forwarded.get())] ^= 0x01;
            flipped = true;
          }
          forwarded.addAndGet(n);
          out.write(buffer, 0, n);
        }
      } catch (IOException | InterruptedException ignored) {
        // one side closed
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
