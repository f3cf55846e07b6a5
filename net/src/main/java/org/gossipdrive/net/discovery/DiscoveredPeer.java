package org.gossipdrive.net.discovery;

import java.net.InetSocketAddress;
import java.util.List;
import org.gossipdrive.engine.tree.DeviceId;

/**
 * A device seen on the LAN. Discovery proves nothing: {@code trusted} only says whether the id it
 * claims is in the trusted set, and the TLS handshake still has to prove it holds that id's key.
 */
public record DiscoveredPeer(
    DeviceId id, String driveId, String name, List<InetSocketAddress> addresses, boolean trusted) {}
