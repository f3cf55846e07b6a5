package org.gossipdrive.fs.daemon;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The addresses another device may reach this one at, for invitations. */
public final class ReachableAddresses {
  private ReachableAddresses() {}

  /** {@code bound} itself, or for a wildcard bind every up interface's address on its port. */
  public static List<InetSocketAddress> of(InetSocketAddress bound) throws IOException {
    if (!bound.getAddress().isAnyLocalAddress()) {
      return List.of(bound);
    }
    List<InetSocketAddress> out = new ArrayList<>();
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp()) {
        continue;
      }
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        if (!address.isLinkLocalAddress()) {
          out.add(new InetSocketAddress(address, bound.getPort()));
        }
      }
    }
    // Loopback last: it only helps a second device home on the same machine.
    out.sort(
        (a, b) ->
            Boolean.compare(
                a.getAddress().isLoopbackAddress(), b.getAddress().isLoopbackAddress()));
    return out.subList(0, Math.min(out.size(), 16));
  }
}
