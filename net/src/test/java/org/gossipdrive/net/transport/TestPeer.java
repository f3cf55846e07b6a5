package org.gossipdrive.net.transport;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.wire.proto.Frame;

/** A device with a transport that records everything delivered to it. */
final class TestPeer implements AutoCloseable {
  final DeviceIdentity identity;
  final Set<DeviceId> trusted = ConcurrentHashMap.newKeySet();
  final List<Frame> received = new CopyOnWriteArrayList<>();
  final List<Connection> opened = new CopyOnWriteArrayList<>();
  final List<String> closed = new CopyOnWriteArrayList<>();
  final Transport transport;
  InetSocketAddress address;

  TestPeer(String drive) {
    this(drive, DeviceIdentity.generate(), TransportConfig.defaults());
  }

  TestPeer(String drive, DeviceIdentity identity, TransportConfig config) {
    this(drive, identity, config, false);
  }

  /** With {@code admitsJoiners}, unknown keys may handshake, as while an invitation is open. */
  TestPeer(String drive, DeviceIdentity identity, TransportConfig config, boolean admitsJoiners) {
    this.identity = identity;
    TrustPolicy policy =
        new TrustPolicy() {
          @Override
          public boolean isTrusted(org.gossipdrive.engine.tree.DeviceId device) {
            return trusted.contains(device);
          }

          @Override
          public boolean admitsJoiners() {
            return admitsJoiners;
          }
        };
    transport =
        new Transport(
            identity,
            drive,
            "test",
            policy,
            config,
            new FrameListener() {
              @Override
              public void onFrame(Connection connection, Frame frame) {
                received.add(frame);
              }

              @Override
              public void onOpen(Connection connection) {
                opened.add(connection);
              }

              @Override
              public void onClose(Connection connection, String reason) {
                closed.add(reason);
              }
            });
  }

  TestPeer listen() throws java.io.IOException {
    address = transport.listen(new InetSocketAddress("127.0.0.1", 0));
    return this;
  }

  void trust(TestPeer other) {
    trusted.add(other.identity.id());
  }

  static void await(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  @Override
  public void close() {
    transport.close();
  }
}
