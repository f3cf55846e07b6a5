package org.gossipdrive.net.discovery;

import java.util.function.Consumer;
import org.gossipdrive.net.transport.PeerDialer;
import org.gossipdrive.net.transport.PeerLink;

/**
 * Connects to trusted peers as discovery finds them: the glue between {@link LanDiscovery}'s
 * callback and {@link PeerDialer}. Untrusted devices never reach it (discovery only lists them).
 */
public final class DiscoveryDialing implements Consumer<DiscoveredPeer> {
  private final PeerDialer dialer;
  private final Consumer<PeerLink> onLink;

  public DiscoveryDialing(PeerDialer dialer, Consumer<PeerLink> onLink) {
    this.dialer = dialer;
    this.onLink = onLink;
  }

  @Override
  public void accept(DiscoveredPeer peer) {
    if (peer.trusted() && !peer.addresses().isEmpty()) {
      dialer.maintain(peer.id(), peer.addresses(), onLink);
    }
  }
}
