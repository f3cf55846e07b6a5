package org.gossipdrive.net.discovery;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.net.transport.Connection;
import org.gossipdrive.net.transport.FrameListener;
import org.gossipdrive.net.transport.SocketAddresses;
import org.gossipdrive.net.wire.Protocol;
import org.gossipdrive.net.wire.proto.DeviceAddresses;
import org.gossipdrive.net.wire.proto.Frame;
import org.gossipdrive.net.wire.proto.Lane;
import org.gossipdrive.net.wire.proto.PeerAddresses;

/**
 * Tells peers where devices listen, so a drive grown one invitation at a time becomes a full mesh:
 * a joiner learns the inviter's other peers and dials them, and the inviter learns where the joiner
 * listens (an invitation only carries the inviter's addresses).
 *
 * <p>Each side sends, when a control lane opens, its own addresses and those it knows of other
 * trusted devices; whatever teaches a device something new is passed on to its other peers.
 * Addresses are not signed: a wrong one only fails the TLS handshake, which pins each device's key.
 * Only IP literals are accepted (no name lookups on the network's say-so), and only for trusted
 * devices.
 */
public final class AddressGossip implements FrameListener {
  private static final System.Logger LOG = System.getLogger(AddressGossip.class.getName());

  /** Where addresses are kept and what happens when one is learned. */
  public interface AddressBook {
    /** Every known device's addresses. */
    Map<DeviceId, List<InetSocketAddress>> all();

    /** Records addresses of {@code device}; returns whether any was new. */
    boolean learn(DeviceId device, List<InetSocketAddress> addresses);
  }

  private final DeviceId self;
  private final Supplier<List<InetSocketAddress>> ownAddresses;
  private final Predicate<DeviceId> trusted;
  private final AddressBook book;
  private final Map<Connection, DeviceId> control = new ConcurrentHashMap<>();

  public AddressGossip(
      DeviceId self,
      Supplier<List<InetSocketAddress>> ownAddresses,
      Predicate<DeviceId> trusted,
      AddressBook book) {
    this.self = self;
    this.ownAddresses = ownAddresses;
    this.trusted = trusted;
    this.book = book;
  }

  @Override
  public void onOpen(Connection connection) {
    if (connection.lane() == Lane.CONTROL) {
      control.put(connection, connection.peer());
      send(connection, everything());
    }
  }

  @Override
  public void onClose(Connection connection, String reason) {
    control.remove(connection);
  }

  @Override
  public void onFrame(Connection connection, Frame frame) {
    if (frame.getBodyCase() != Frame.BodyCase.PEER_ADDRESSES) {
      return;
    }
    List<DeviceAddresses> news = new ArrayList<>();
    for (DeviceAddresses entry : frame.getPeerAddresses().getDevicesList()) {
      DeviceId device;
      try {
        device = new DeviceId(entry.getDeviceId());
      } catch (IllegalArgumentException e) {
        LOG.log(Level.DEBUG, "ignoring addresses of a malformed device id from {0}", connection);
        continue;
      }
      if (device.equals(self) || !trusted.test(device)) {
        continue;
      }
      List<InetSocketAddress> addresses = new ArrayList<>();
      for (String text : entry.getAddressesList()) {
        try {
          addresses.add(SocketAddresses.parseLiteral(text));
        } catch (IllegalArgumentException e) {
          LOG.log(
              Level.DEBUG, "ignoring address {0} from {1}: {2}", text, connection, e.getMessage());
        }
      }
      if (!addresses.isEmpty() && book.learn(device, addresses)) {
        LOG.log(Level.INFO, "learned where {0} listens, from {1}", device, connection.peer());
        news.add(entry);
      }
    }
    if (!news.isEmpty()) {
      PeerAddresses message = PeerAddresses.newBuilder().addAllDevices(news).build();
      control.keySet().stream().filter(c -> c != connection).forEach(c -> send(c, message));
    }
  }

  /** This device's addresses first, then every trusted device it knows of. */
  private PeerAddresses everything() {
    PeerAddresses.Builder message = PeerAddresses.newBuilder();
    message.addDevices(entry(self, ownAddresses.get()));
    book.all()
        .forEach(
            (device, addresses) -> {
              if (!device.equals(self)
                  && trusted.test(device)
                  && message.getDevicesCount() < Protocol.MAX_DEVICES) {
                message.addDevices(entry(device, addresses));
              }
            });
    return message.build();
  }

  private static DeviceAddresses entry(DeviceId device, List<InetSocketAddress> addresses) {
    DeviceAddresses.Builder entry = DeviceAddresses.newBuilder().setDeviceId(device.value());
    addresses.stream()
        .limit(Protocol.MAX_ADDRESSES)
        .forEach(a -> entry.addAddresses(SocketAddresses.format(a)));
    return entry.build();
  }

  private static void send(Connection connection, PeerAddresses message) {
    try {
      connection.send(Frame.newBuilder().setPeerAddresses(message).build());
    } catch (IOException e) {
      // the link is gone; addresses go again when it comes back
    }
  }
}
