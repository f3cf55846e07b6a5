package org.gossipdrive.net.transport;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.gossipdrive.engine.tree.DeviceId;

/** Keeps links to chosen peers up: connects, and reconnects with backoff whenever a link drops. */
public final class PeerDialer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(PeerDialer.class.getName());

  private final Transport transport;
  private final Duration initialDelay;
  private final Duration maxDelay;
  private final Map<DeviceId, Thread> dialers = new ConcurrentHashMap<>();
  private final Map<DeviceId, PeerLink> links = new ConcurrentHashMap<>();
  private final Map<DeviceId, List<InetSocketAddress>> addresses = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public PeerDialer(Transport transport, Duration initialDelay, Duration maxDelay) {
    this.transport = transport;
    this.initialDelay = initialDelay;
    this.maxDelay = maxDelay;
  }

  /**
   * Starts keeping a link to {@code peer}, trying its addresses in turn; for a peer already kept,
   * adds the addresses (tried first from the next attempt on).
   */
  public void maintain(DeviceId peer, List<InetSocketAddress> more, Consumer<PeerLink> onLink) {
    addresses.merge(peer, List.copyOf(more), PeerDialer::union);
    dialers.computeIfAbsent(
        peer,
        id -> Thread.ofVirtual().name("gossipdrive-dial-" + id).start(() -> dialLoop(id, onLink)));
  }

  private static List<InetSocketAddress> union(
      List<InetSocketAddress> old, List<InetSocketAddress> more) {
    List<InetSocketAddress> all = new java.util.ArrayList<>(more);
    old.stream().filter(a -> !all.contains(a)).forEach(all::add);
    return List.copyOf(all);
  }

  public java.util.Optional<PeerLink> link(DeviceId peer) {
    return java.util.Optional.ofNullable(links.get(peer)).filter(PeerLink::isOpen);
  }

  private void dialLoop(DeviceId peer, Consumer<PeerLink> onLink) {
    Backoff backoff = new Backoff(initialDelay, maxDelay);
    while (!closed && !Thread.currentThread().isInterrupted()) {
      if (transport.linkedTo(peer)) {
        // The peer dialed us: one link is enough. Look again once it may have dropped.
        backoff.reset();
        try {
          Thread.sleep(initialDelay.toMillis() * 5);
        } catch (InterruptedException e) {
          return;
        }
        continue;
      }
      for (InetSocketAddress address : addresses.getOrDefault(peer, List.of())) {
        try {
          PeerLink link = transport.connectPeer(address, peer);
          links.put(peer, link);
          backoff.reset();
          onLink.accept(link);
          while (link.isOpen() && !closed) {
            Thread.sleep(100);
          }
          break;
        } catch (IOException e) {
          LOG.log(Level.DEBUG, "cannot reach {0} at {1}: {2}", peer, address, e.getMessage());
        } catch (InterruptedException e) {
          return;
        }
      }
      try {
        Thread.sleep(backoff.next().toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  public void forget(DeviceId peer) {
    Thread dialer = dialers.remove(peer);
    if (dialer != null) {
      dialer.interrupt();
    }
    addresses.remove(peer);
    PeerLink link = links.remove(peer);
    if (link != null) {
      link.close("peer removed");
    }
  }

  @Override
  public void close() {
    closed = true;
    dialers.values().forEach(Thread::interrupt);
  }
}
