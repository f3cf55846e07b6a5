package org.gossipdrive.tests.discovery;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.net.discovery.DiscoveredPeer;
import org.gossipdrive.net.discovery.DiscoveryDialing;
import org.gossipdrive.net.discovery.LanDiscovery;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.identity.DeviceIds;
import org.gossipdrive.net.transport.PeerDialer;
import org.gossipdrive.net.transport.Transport;
import org.gossipdrive.net.transport.TransportConfig;
import org.gossipdrive.net.transport.TrustPolicy;

/**
 * Child process of the mDNS test, run inside a network namespace: a device with a listening
 * transport that advertises itself, connects to the trusted devices it discovers, and prints {@code
 * FOUND <id> <drive> <trusted> <addresses>} for every device seen and {@code CONNECTED <id>} for
 * every link made.
 *
 * <p>Arguments: bind address, port, drive id. The ids to trust arrive on stdin, ended by GO.
 */
public final class DiscoveryProbe {
  private DiscoveryProbe() {}

  public static void main(String[] args) throws Exception {
    InetAddress bind = InetAddress.getByName(args[0]);
    int port = Integer.parseInt(args[1]);
    String drive = args[2];
    Set<DeviceId> trusted = ConcurrentHashMap.newKeySet();
    DeviceIdentity me = DeviceIdentity.generate();
    System.out.println("ME " + me.id().value());
    System.out.flush();
    java.io.BufferedReader stdin =
        new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
    for (String line; (line = stdin.readLine()) != null && !line.equals("GO"); ) {
      trusted.add(DeviceIds.parse(line.trim()));
    }
    TrustPolicy policy = TrustPolicy.of(trusted::contains);
    try (Transport transport =
            new Transport(me, drive, "probe", policy, TransportConfig.defaults(), (c, f) -> {});
        PeerDialer dialer =
            new PeerDialer(transport, Duration.ofMillis(100), Duration.ofSeconds(2))) {
      transport.listen(new InetSocketAddress(bind, port));
      DiscoveryDialing dialing =
          new DiscoveryDialing(dialer, link -> say("CONNECTED " + link.control().peer().value()));
      try (LanDiscovery discovery =
          LanDiscovery.start(bind, me.id(), "probe", drive, port, policy, dialing)) {
        Set<DeviceId> reported = new HashSet<>();
        for (int i = 0; i < 300; i++) {
          for (DiscoveredPeer peer : discovery.discovered()) {
            if (reported.add(peer.id())) {
              say(
                  "FOUND "
                      + peer.id().value()
                      + " "
                      + peer.driveId()
                      + " "
                      + peer.trusted()
                      + " "
                      + peer.addresses());
            }
          }
          Thread.sleep(100);
        }
      }
    }
  }

  private static synchronized void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
