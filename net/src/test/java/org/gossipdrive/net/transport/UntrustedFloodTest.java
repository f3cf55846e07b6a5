package org.gossipdrive.net.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLSocket;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.wire.proto.Data;
import org.gossipdrive.net.wire.proto.Frame;
import org.gossipdrive.net.wire.proto.Lane;
import org.junit.jupiter.api.Test;

/**
 * While an invitation is open any key may complete a TLS handshake; that must stay cheap (ADR 35).
 * 200 throwaway keys each announce a 16 MiB frame instead of a Hello and then send nothing: before
 * the fix each one made the listener allocate 16 MiB and wait for it (3.2 GiB in all).
 */
class UntrustedFloodTest {
  private static final int ATTACKERS = 200;

  private static long heapAfterGc() throws InterruptedException {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }

  /** A TLS connection with a fresh key that announces a 16 MiB frame and then stays silent. */
  private static SSLSocket announceHugeFrame(InetSocketAddress target, InetAddress from)
      throws IOException {
    DeviceIdentity throwaway = DeviceIdentity.generate();
    SSLSocket socket =
        (SSLSocket)
            TlsContexts.create(throwaway, id -> true, "flood target")
                .getSocketFactory()
                .createSocket(target.getAddress(), target.getPort(), from, 0);
    socket.setEnabledProtocols(new String[] {"TLSv1.3"});
    socket.setSoTimeout(10_000);
    socket.startHandshake();
    OutputStream out = socket.getOutputStream();
    out.write(new byte[] {0x01, 0x00, 0x00, 0x00}); // 16 MiB follows... never
    out.flush();
    return socket;
  }

  @Test
  void twoHundredThrowawayKeysAnnouncingHugeFramesCostLittleAndTrustedPeersKeepSyncing()
      throws Exception {
    // alice has an invitation open: unknown keys may handshake
    try (TestPeer alice =
            new TestPeer("DRIVE-F", DeviceIdentity.generate(), TransportConfig.defaults(), true);
        TestPeer bob = new TestPeer("DRIVE-F")) {
      alice.listen();
      alice.trust(bob);
      bob.trust(alice);
      Connection link = bob.transport.connect(alice.address, alice.identity.id(), Lane.CONTROL);
      long before = heapAfterGc();

      List<SSLSocket> attackers = new java.util.concurrent.CopyOnWriteArrayList<>();
      List<Future<?>> floods = new ArrayList<>();
      int[] sent = {0};
      try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
        for (int i = 0; i < ATTACKERS; i++) {
          // From ten loopback addresses, twenty each: both the per-address and the total cap
          // come into play.
          InetAddress from = InetAddress.getByName("127.0.0." + (2 + i % 10));
          floods.add(
              pool.submit(
                  () -> {
                    try {
                      attackers.add(announceHugeFrame(alice.address, from));
                    } catch (IOException refusedOrClosed) {
                      // refused at accept or mid-handshake: what the limits are for
                    }
                    return null;
                  }));
        }
        // bob keeps syncing throughout the flood
        while (floods.stream().anyMatch(f -> !f.isDone())) {
          link.send(
              Frame.newBuilder()
                  .setData(Data.newBuilder().setStream(sent[0]++).setPayload(ByteString.EMPTY))
                  .build());
          Thread.sleep(20);
        }
      }
      long during = heapAfterGc();
      int delivered = sent[0];
      TestPeer.await(() -> alice.received.size() >= delivered, "bob's frames during the flood");
      // and a trusted peer still gets a new connection in
      Connection second = bob.transport.connect(alice.address, alice.identity.id(), Lane.BULK);
      assertTrue(second.isOpen());
      TestPeer.await(
          () -> alice.transport.connections().stream().noneMatch(c -> !c.trusted()),
          "every untrusted connection closed");
      for (SSLSocket socket : attackers) {
        socket.close();
      }
      assertEquals(0, alice.closed.size(), "bob's links never dropped: " + alice.closed);
      long grown = during - before;
      assertTrue(grown < 64L << 20, "heap grew by " + (grown >> 20) + " MiB");
    }
  }

  /** Whether the listener ended {@code socket} within {@code limit} (reading sees the end). */
  private static boolean closedWithin(SSLSocket socket, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    try {
      socket.setSoTimeout((int) limit.toMillis());
      while (System.nanoTime() < deadline) {
        if (socket.getInputStream().read() < 0) {
          return true;
        }
      }
      return false;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset, or the handshake refused
    }
  }

  @Test
  void aHelloTrickledByteByByteMeetsATotalDeadlineNotOnePerRead() throws Exception {
    TransportConfig quick =
        TransportConfig.defaults().withHandshakeTimeout(Duration.ofMillis(1_000));
    try (TestPeer alice = new TestPeer("DRIVE-F", DeviceIdentity.generate(), quick, true)) {
      alice.listen();
      // A well-formed 100-byte length, then one byte every 300 ms: each read is well within
      // the timeout, the whole never arrives.
      DeviceIdentity throwaway = DeviceIdentity.generate();
      try (SSLSocket trickle =
          (SSLSocket)
              TlsContexts.create(throwaway, id -> true, "flood target")
                  .getSocketFactory()
                  .createSocket(alice.address.getAddress(), alice.address.getPort())) {
        trickle.startHandshake();
        OutputStream out = trickle.getOutputStream();
        out.write(new byte[] {0, 0, 0, 100});
        out.flush();
        long started = System.nanoTime();
        boolean cut = false;
        try {
          for (int i = 0; i < 20 && !cut; i++) {
            Thread.sleep(300);
            out.write(0);
            out.flush();
          }
        } catch (IOException e) {
          cut = true;
        }
        cut = cut || closedWithin(trickle, Duration.ofMillis(500));
        long took = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertTrue(cut, "the trickling connection was never closed");
        assertTrue(took < 4_000, "closed after " + took + " ms");
      }
    }
  }

  @Test
  void oneAddressGetsAFewUnprovenConnectionsAndNoMore() throws Exception {
    try (TestPeer alice =
        new TestPeer("DRIVE-F", DeviceIdentity.generate(), TransportConfig.defaults(), true)) {
      alice.listen();
      InetAddress from = InetAddress.getByName("127.0.0.9");
      List<SSLSocket> held = new ArrayList<>();
      try {
        // Handshaken, then silent: each holds a place until its deadline.
        for (int i = 0; i < IncomingLimits.MAX_UNPROVEN_PER_ADDRESS; i++) {
          DeviceIdentity throwaway = DeviceIdentity.generate();
          SSLSocket socket =
              (SSLSocket)
                  TlsContexts.create(throwaway, id -> true, "flood target")
                      .getSocketFactory()
                      .createSocket(alice.address.getAddress(), alice.address.getPort(), from, 0);
          socket.startHandshake();
          held.add(socket);
        }
        TestPeer.await(
            () -> alice.transport.unprovenIncoming() == IncomingLimits.MAX_UNPROVEN_PER_ADDRESS,
            "the first ones hold their places");
        int refusedBefore = alice.transport.refusedIncoming();
        IOException refused =
            org.junit.jupiter.api.Assertions.assertThrows(
                IOException.class,
                () -> announceHugeFrame(alice.address, from).getInputStream().read());
        assertEquals(refusedBefore + 1, alice.transport.refusedIncoming(), refused.toString());
        // another address is not held up by this one
        try (TestPeer bob = new TestPeer("DRIVE-F")) {
          alice.trust(bob);
          bob.trust(alice);
          assertTrue(
              bob.transport.connect(alice.address, alice.identity.id(), Lane.CONTROL).isOpen());
        }
      } finally {
        for (SSLSocket socket : held) {
          socket.close();
        }
      }
    }
  }
}
