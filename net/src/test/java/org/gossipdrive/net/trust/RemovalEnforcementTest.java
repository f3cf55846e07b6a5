package org.gossipdrive.net.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.transport.Connection;
import org.gossipdrive.net.transport.FrameListener;
import org.gossipdrive.net.transport.Transport;
import org.gossipdrive.net.transport.TransportConfig;
import org.gossipdrive.net.wire.proto.Frame;
import org.gossipdrive.net.wire.proto.Lane;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A removal over real TLS on loopback: the removed device's open connection is closed, it hears of
 * its removal first, and it is refused from then on, as a member, as a joiner while an invitation
 * is open, and when dialled.
 */
class RemovalEnforcementTest {
  @TempDir Path dir;

  private final DeviceIdentity alice = DeviceIdentity.generate();
  private final DeviceIdentity carol = DeviceIdentity.generate();

  /** A device of the drive: its trust store, transport and trusted-set gossip. */
  private final class Device implements AutoCloseable {
    final TrustStore trust;
    final Transport transport;
    final List<String> closed = new CopyOnWriteArrayList<>();
    final List<DeviceId> droppedFromParts = new CopyOnWriteArrayList<>();
    InetSocketAddress address;

    Device(DeviceIdentity identity, TrustStore trust) throws IOException {
      this.trust = trust;
      TrustGossip gossip = new TrustGossip(trust, identity);
      transport =
          new Transport(
              identity,
              trust.driveId().orElseThrow(),
              "device",
              trust,
              TransportConfig.defaults(),
              new FrameListener() {
                @Override
                public void onFrame(Connection connection, Frame frame) {
                  gossip.onFrame(connection, frame);
                }

                @Override
                public void onOpen(Connection connection) {
                  gossip.onOpen(connection);
                }

                @Override
                public void onClose(Connection connection, String reason) {
                  gossip.onClose(connection, reason);
                  closed.add(reason);
                }
              });
      new RemovalEnforcement(trust, identity.id(), transport, droppedFromParts::add);
      address = transport.listen(new InetSocketAddress("127.0.0.1", 0));
    }

    @Override
    public void close() {
      transport.close();
    }
  }

  private static void await(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void theRemovedDeviceIsCutOffAndRefusedEveryWayBack() throws Exception {
    TrustStore atAlice = TrustStore.open(dir.resolve("alice"));
    TrustedSet both =
        atAlice
            .found("DRIVE-X", alice, "alice")
            .with(carol.id(), carol.rawPublicKey(), "carol", alice.id());
    atAlice.save(both, alice);
    TrustStore atCarol = TrustStore.open(dir.resolve("carol"));
    atCarol.accept(both.sign(alice));
    // alice has an invitation open: unknown keys may handshake to present it
    atAlice.setJoinAdmission(() -> true);
    try (Device a = new Device(alice, atAlice);
        Device c = new Device(carol, atCarol)) {
      Connection link = c.transport.connect(a.address, alice.id(), Lane.CONTROL);
      await(() -> a.transport.linkedTo(carol.id()), "carol linked to alice");

      atAlice.remove(alice, carol.id(), 3);
      await(() -> !link.isOpen(), "carol's connection closed");
      assertTrue(
          a.closed.stream().anyMatch(r -> r.contains("removed from the drive")),
          a.closed.toString());
      assertEquals(List.of(carol.id()), a.droppedFromParts, "alice's other parts drop carol");
      await(() -> atCarol.isRemoved(carol.id()), "carol told of her removal before the close");

      // carol dials again: refused in the handshake, though alice admits joiners
      assertThrows(
          IOException.class, () -> c.transport.connect(a.address, alice.id(), Lane.CONTROL));
      assertThrows(IOException.class, () -> c.transport.connect(a.address, alice.id(), Lane.JOIN));
      // alice does not dial her
      IOException dial =
          assertThrows(
              IOException.class, () -> a.transport.connect(c.address, carol.id(), Lane.CONTROL));
      assertTrue(dial.getMessage().contains("was removed"), dial.getMessage());
      assertFalse(a.transport.linkedTo(carol.id()));
    }
  }
}
