package org.gossipdrive.fs.daemon;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How a daemon runs.
 *
 * @param home the device's home directory (identity, trust, replica)
 * @param mountPoint where the drive appears
 * @param listen where peers connect
 * @param discovery whether to find peers on the LAN by mDNS
 * @param antiEntropy how often peers compare what they hold, to heal missed pushes
 * @param api where the local API listens: a loopback address (port 0 lets the OS choose)
 * @param lockLease how long peers keep this device's locks without hearing from it
 * @param companions the names apps give a document's companion and temporary files
 * @param advertise where peers should dial this device (port forwarding, a relay, NAT); empty: the
 *     listen address, or every interface's address when listening on all
 * @param snapshotAfter how many records a peer may lag behind before it is sent a snapshot of the
 *     tree instead of a replay of every record
 */
public record DaemonConfig(
    Path home,
    Path mountPoint,
    InetSocketAddress listen,
    boolean discovery,
    Duration antiEntropy,
    InetSocketAddress api,
    Duration lockLease,
    org.gossipdrive.engine.lock.Companions companions,
    java.util.List<InetSocketAddress> advertise,
    long snapshotAfter) {
  public DaemonConfig {
    advertise = java.util.List.copyOf(advertise);
    if (api.getAddress() == null || !api.getAddress().isLoopbackAddress()) {
      throw new DaemonException(
          "the local API only listens on a loopback address such as 127.0.0.1, not "
              + api.getHostString());
    }
  }
}
