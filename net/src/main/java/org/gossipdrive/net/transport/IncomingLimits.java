package org.gossipdrive.net.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps incoming connections that are not yet known to be trusted cheap (ADR 35): at most {@link
 * #MAX_UNPROVEN} of them at once, {@link #MAX_UNPROVEN_PER_ADDRESS} from one address, and each one
 * closed when its deadline passes, however slowly it trickles bytes. A connection stops counting
 * once its peer is proven trusted, or when it closes.
 */
final class IncomingLimits {
  static final int MAX_UNPROVEN = 64;
  static final int MAX_UNPROVEN_PER_ADDRESS = 8;

  private final ScheduledExecutorService timer;
  private final AtomicInteger unproven = new AtomicInteger();
  private final Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
  private final AtomicInteger refused = new AtomicInteger();

  IncomingLimits(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  /** One unproven connection's place in the limits; released exactly once. */
  final class Slot {
    private final InetAddress address;
    private final Socket socket;
    private volatile ScheduledFuture<?> deadline;
    private final java.util.concurrent.atomic.AtomicBoolean released =
        new java.util.concurrent.atomic.AtomicBoolean();

    private Slot(InetAddress address, Socket socket) {
      this.address = address;
      this.socket = socket;
    }

    /**
     * Closes the socket {@code within} from now unless {@link #release} comes first; replaces any
     * earlier deadline. A total deadline, unlike a socket timeout that each byte renews.
     */
    void closeAfter(Duration within) {
      ScheduledFuture<?> previous = deadline;
      if (previous != null) {
        previous.cancel(false);
      }
      // Closed on a virtual thread: closing TLS may write a close_notify, and the timer thread
      // must never wait on a peer.
      deadline =
          timer.schedule(
              () -> Thread.ofVirtual().start(() -> closeQuietly(socket)),
              within.toMillis(),
              TimeUnit.MILLISECONDS);
    }

    /** The peer is proven trusted, or the connection is gone: it no longer counts. */
    void release() {
      if (!released.compareAndSet(false, true)) {
        return;
      }
      ScheduledFuture<?> pending = deadline;
      if (pending != null) {
        pending.cancel(false);
      }
      unproven.decrementAndGet();
      perAddress.computeIfPresent(address, (a, count) -> count <= 1 ? null : count - 1);
    }
  }

  /**
   * A slot for a connection just accepted from {@code remote}, or null (then the caller closes it
   * at once, before any TLS work) when the limits are reached.
   */
  Slot admit(Socket socket) {
    InetAddress address = ((InetSocketAddress) socket.getRemoteSocketAddress()).getAddress();
    if (unproven.incrementAndGet() > MAX_UNPROVEN) {
      unproven.decrementAndGet();
      refused.incrementAndGet();
      return null;
    }
    boolean[] room = {false};
    perAddress.compute(
        address,
        (a, count) -> {
          int now = count == null ? 0 : count;
          if (now >= MAX_UNPROVEN_PER_ADDRESS) {
            return count;
          }
          room[0] = true;
          return now + 1;
        });
    if (!room[0]) {
      unproven.decrementAndGet();
      refused.incrementAndGet();
      return null;
    }
    return new Slot(address, socket);
  }

  /** Connections refused at accept because a limit was reached (for tests and status). */
  int refused() {
    return refused.get();
  }

  /** Unproven connections now open. */
  int unproven() {
    return unproven.get();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
