package org.gossipdrive.tests.discovery;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.Set;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.net.discovery.DiscoveredPeer;
import org.gossipdrive.net.discovery.LanDiscovery;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.identity.DeviceIds;
import org.gossipdrive.net.transport.TrustPolicy;

/**
 * Child process of the mDNS test, run inside a network namespace: advertises a fresh device and
 * prints every device it discovers as {@code FOUND <id> <drive> <trusted>}.
 *
 * <p>Arguments: bind address, drive id, then the ids this device trusts.
 */
public final class DiscoveryProbe {
  private DiscoveryProbe() {}

  public static void main(String[] args) throws Exception {
    InetAddress bind = InetAddress.getByName(args[0]);
    String drive = args[1];
    Set<DeviceId> trusted = new HashSet<>();
    DeviceIdentity me = DeviceIdentity.generate();
    System.out.println("ME " + me.id().value());
    System.out.flush();
    // The trusted ids arrive on stdin once the parent knows both probes' ids.
    java.io.BufferedReader stdin =
        new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
    for (String line; (line = stdin.readLine()) != null && !line.equals("GO"); ) {
      trusted.add(DeviceIds.parse(line.trim()));
    }
    TrustPolicy policy = TrustPolicy.of(trusted::contains);
    try (LanDiscovery discovery =
        LanDiscovery.start(
            bind, me.id(), "probe", drive, 4242, policy, peer -> report("TRUSTED", peer))) {
      Set<DeviceId> reported = new HashSet<>();
      for (int i = 0; i < 300; i++) {
        for (DiscoveredPeer peer : discovery.discovered()) {
          if (reported.add(peer.id())) {
            report("FOUND", peer);
          }
        }
        Thread.sleep(100);
      }
    }
  }

  private static synchronized void report(String what, DiscoveredPeer peer) {
    System.out.println(
        what
            + " "
            + peer.id().value()
            + " "
            + peer.driveId()
            + " "
            + peer.trusted()
            + " "
            + peer.addresses());
    System.out.flush();
  }
}
