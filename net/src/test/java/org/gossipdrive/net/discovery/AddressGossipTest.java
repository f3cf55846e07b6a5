package org.gossipdrive.net.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.transport.Connection;
import org.gossipdrive.net.transport.PeerDialer;
import org.gossipdrive.net.transport.Transport;
import org.gossipdrive.net.transport.TransportConfig;
import org.gossipdrive.net.transport.TrustPolicy;
import org.gossipdrive.net.wire.proto.DeviceAddresses;
import org.gossipdrive.net.wire.proto.Frame;
import org.gossipdrive.net.wire.proto.Lane;
import org.gossipdrive.net.wire.proto.PeerAddresses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Devices invited one at a time end fully connected: real transports on 127.0.0.1, each knowing
 * only the first device's address at the start.
 */
class AddressGossipTest {
  private static final String DRIVE = "DRIVE-GOSSIP";
  private final Set<DeviceId> trusted = ConcurrentHashMap.newKeySet();
  private final List<Device> devices = new ArrayList<>();

  /** A transport, its dialer and the addresses it knows, as a daemon wires them. */
  private final class Device implements AutoCloseable {
    final DeviceIdentity identity = DeviceIdentity.generate();
    final Map<DeviceId, List<InetSocketAddress>> book = new ConcurrentHashMap<>();
    final Transport transport;
    final PeerDialer dialer;
    final InetSocketAddress address;

    Device() throws Exception {
      trusted.add(identity.id());
      AddressGossip gossip =
          new AddressGossip(
              identity.id(),
              () -> List.of(address()),
              trusted::contains,
              new AddressGossip.AddressBook() {
                @Override
                public Map<DeviceId, List<InetSocketAddress>> all() {
                  return Map.copyOf(book);
                }

                @Override
                public boolean learn(DeviceId device, List<InetSocketAddress> addresses) {
                  if (addresses.equals(book.get(device))) {
                    return false;
                  }
                  book.put(device, addresses);
                  dialer().maintain(device, addresses, link -> {});
                  return true;
                }
              });
      transport =
          new Transport(
              identity,
              DRIVE,
              "test",
              TrustPolicy.of(trusted::contains),
              TransportConfig.defaults(),
              gossip);
      address = transport.listen(new InetSocketAddress("127.0.0.1", 0));
      dialer = new PeerDialer(transport, Duration.ofMillis(50), Duration.ofMillis(500));
      devices.add(this);
    }

    InetSocketAddress address() {
      return address;
    }

    PeerDialer dialer() {
      return dialer;
    }

    void dial(Device other) {
      book.put(other.identity.id(), List.of(other.address));
      dialer.maintain(other.identity.id(), List.of(other.address), link -> {});
    }

    boolean linkedTo(Device other) {
      return transport.linkedTo(other.identity.id());
    }

    @Override
    public void close() {
      dialer.close();
      transport.close();
    }
  }

  @AfterEach
  void close() {
    devices.forEach(Device::close);
  }

  @Test
  void devicesInvitedByOneEndFullyConnected() throws Exception {
    Device alice = new Device();
    Device bob = new Device();
    Device carol = new Device();
    Device dave = new Device();
    // Each joined through alice: it knows her address only, and she knows nobody's.
    bob.dial(alice);
    await(() -> alice.linkedTo(bob), "bob linked to alice");
    carol.dial(alice);
    dave.dial(alice);

    for (Device a : devices) {
      for (Device b : devices) {
        if (a != b) {
          await(() -> a.linkedTo(b), "a direct link between every two devices");
        }
      }
    }
    assertEquals(List.of(bob.address), alice.book.get(bob.identity.id()), "alice recorded bob");
    assertEquals(List.of(carol.address), bob.book.get(carol.identity.id()), "bob learned carol");
  }

  @Test
  void addressesOfUntrustedDevicesAndHostNamesAreIgnored() throws Exception {
    Device alice = new Device();
    Device bob = new Device();
    bob.dial(alice);
    await(() -> alice.linkedTo(bob), "bob linked to alice");
    Connection toBob =
        alice.transport.connections().stream()
            .filter(c -> c.lane() == Lane.CONTROL && c.peer().equals(bob.identity.id()))
            .findFirst()
            .orElseThrow();
    DeviceId stranger = DeviceIdentity.generate().id();
    Device carol = new Device();
    toBob.send(
        Frame.newBuilder()
            .setPeerAddresses(
                PeerAddresses.newBuilder()
                    .addDevices(entry(stranger.value(), "127.0.0.1:9"))
                    .addDevices(
                        entry(
                            carol.identity.id().value(),
                            "localhost:9",
                            "127.0.0.1:0",
                            "not an address"))
                    .addDevices(entry("")))
            .build());
    // Then a good one, which arrives after the bad ones on the same connection.
    toBob.send(
        Frame.newBuilder()
            .setPeerAddresses(
                PeerAddresses.newBuilder()
                    .addDevices(
                        entry(carol.identity.id().value(), "127.0.0.1:" + carol.address.getPort())))
            .build());
    await(() -> bob.linkedTo(carol), "bob dials carol at the literal address");
    assertFalse(bob.book.containsKey(stranger), "an untrusted device's address is not kept");
    assertEquals(List.of(carol.address), bob.book.get(carol.identity.id()), bob.book.toString());
    assertTrue(bob.transport.connections().stream().allMatch(Connection::isOpen));
  }

  private static DeviceAddresses entry(String device, String... addresses) {
    return DeviceAddresses.newBuilder()
        .setDeviceId(device)
        .addAllAddresses(List.of(addresses))
        .build();
  }

  private static void await(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
