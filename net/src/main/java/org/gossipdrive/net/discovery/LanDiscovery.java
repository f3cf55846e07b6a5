package org.gossipdrive.net.discovery;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.net.identity.DeviceIds;
import org.gossipdrive.net.transport.TrustPolicy;
import org.gossipdrive.net.wire.Protocol;

/**
 * mDNS/DNS-SD on the LAN (JmDNS): advertises this device as {@code _gossipdrive._tcp} with its id
 * and drive id, and lists the others. Trusted peers of the same drive are handed to a callback
 * (which connects to them); the rest are only listed as discovered.
 */
public final class LanDiscovery implements AutoCloseable {
  public static final String SERVICE_TYPE = "_gossipdrive._tcp.local.";
  private static final System.Logger LOG = System.getLogger(LanDiscovery.class.getName());

  private final DeviceId self;
  private final String driveId;
  private final TrustPolicy trust;
  private final Consumer<DiscoveredPeer> onTrustedPeer;
  private final Map<DeviceId, DiscoveredPeer> seen = new ConcurrentHashMap<>();
  private final JmDNS jmdns;

  private LanDiscovery(
      JmDNS jmdns,
      DeviceId self,
      String driveId,
      TrustPolicy trust,
      Consumer<DiscoveredPeer> onTrustedPeer) {
    this.jmdns = jmdns;
    this.self = self;
    this.driveId = driveId;
    this.trust = trust;
    this.onTrustedPeer = onTrustedPeer;
  }

  /** Advertises on the interface of {@code bind} and starts listening for other devices. */
  public static LanDiscovery start(
      InetAddress bind,
      DeviceId self,
      String deviceName,
      String driveId,
      int port,
      TrustPolicy trust,
      Consumer<DiscoveredPeer> onTrustedPeer)
      throws IOException {
    JmDNS jmdns =
        JmDNS.create(
            bind, "gossipdrive-" + self.value().substring(0, 9).toLowerCase(java.util.Locale.ROOT));
    LanDiscovery discovery = new LanDiscovery(jmdns, self, driveId, trust, onTrustedPeer);
    jmdns.addServiceListener(SERVICE_TYPE, discovery.new Listener());
    ServiceInfo info =
        ServiceInfo.create(
            SERVICE_TYPE,
            deviceName + " " + self.value().substring(0, 9),
            port,
            0,
            0,
            Map.of("id", self.value(), "drive", driveId, "name", deviceName));
    jmdns.registerService(info);
    return discovery;
  }

  /** Every device seen so far, trusted or not. */
  public Collection<DiscoveredPeer> discovered() {
    return List.copyOf(seen.values());
  }

  private final class Listener implements ServiceListener {
    @Override
    public void serviceAdded(ServiceEvent event) {
      event.getDNS().requestServiceInfo(event.getType(), event.getName(), 1000);
    }

    @Override
    public void serviceRemoved(ServiceEvent event) {
      // Peers come and go; a stale entry only costs a failed connection attempt.
    }

    @Override
    public void serviceResolved(ServiceEvent event) {
      ServiceInfo info = event.getInfo();
      String idText = info.getPropertyString("id");
      String drive = info.getPropertyString("drive");
      String name = info.getPropertyString("name");
      if (idText == null
          || drive == null
          || drive.length() > Protocol.MAX_ID
          || (name != null && name.length() > Protocol.MAX_NAME)) {
        LOG.log(Level.DEBUG, "ignoring malformed advertisement {0}", info.getName());
        return;
      }
      DeviceId id;
      try {
        id = DeviceIds.parse(idText);
      } catch (IllegalArgumentException e) {
        LOG.log(Level.DEBUG, "ignoring advertisement with a bad device id: {0}", e.getMessage());
        return;
      }
      if (id.equals(self)) {
        return;
      }
      List<InetSocketAddress> addresses = new ArrayList<>();
      for (InetAddress address : info.getInetAddresses()) {
        addresses.add(new InetSocketAddress(address, info.getPort()));
      }
      boolean trusted = trust.isTrusted(id) && drive.equals(driveId);
      DiscoveredPeer peer =
          new DiscoveredPeer(id, drive, name == null ? "" : name, List.copyOf(addresses), trusted);
      DiscoveredPeer previous = seen.put(id, peer);
      if (trusted && (previous == null || !previous.addresses().equals(peer.addresses()))) {
        onTrustedPeer.accept(peer);
      }
    }
  }

  @Override
  public void close() throws IOException {
    jmdns.unregisterAllServices();
    jmdns.close();
  }
}
