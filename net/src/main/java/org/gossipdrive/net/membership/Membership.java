package org.gossipdrive.net.membership;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.net.transport.Connection;
import org.gossipdrive.net.transport.FrameListener;
import org.gossipdrive.net.trust.TrustStore;
import org.gossipdrive.net.trust.TrustedSet;
import org.gossipdrive.net.wire.proto.Frame;
import org.gossipdrive.net.wire.proto.Lane;
import org.gossipdrive.net.wire.proto.SwimAck;
import org.gossipdrive.net.wire.proto.SwimPing;

/**
 * SWIM-style failure detection over the control lanes: each interval one member is probed; if it
 * does not answer in time, other members are asked to probe it (indirect ping), so one broken link
 * does not make a live peer look dead. Failed probes make a member suspect, a long suspicion makes
 * it dead, and any frame from it makes it reachable again.
 */
public final class Membership implements FrameListener, AutoCloseable {
  private final DeviceId self;
  private final TrustStore trust;
  private final MembershipConfig config;
  private final Map<DeviceId, Connection> control = new ConcurrentHashMap<>();
  private final Map<DeviceId, List<Connection>> lanes = new ConcurrentHashMap<>();
  private final Map<DeviceId, Member> members = new ConcurrentHashMap<>();
  private final Map<Long, CompletableFuture<Void>> awaiting = new ConcurrentHashMap<>();
  private final Map<Long, Relay> relays = new ConcurrentHashMap<>();
  private final AtomicLong sequences = new AtomicLong();
  private final ScheduledExecutorService ticker;
  private int next;

  /** What is known of one member. Guarded by its own monitor. */
  private static final class Member {
    MemberState state = MemberState.UNKNOWN;
    int failedProbes;
    long suspectSinceNanos;
    Instant lastSeen;
  }

  /** An indirect probe this device runs for another. */
  private record Relay(Connection requester, long requesterSequence, DeviceId target) {}

  public Membership(DeviceId self, TrustStore trust, MembershipConfig config) {
    this.self = self;
    this.trust = trust;
    this.config = config;
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon(true).name("gossipdrive-swim").factory());
    long period = config.probeInterval().toMillis();
    ticker.scheduleAtFixedRate(this::probeNext, period, period, TimeUnit.MILLISECONDS);
  }

  /** Every trusted peer with its state, last contact and traffic. */
  public List<MemberStatus> view() {
    List<MemberStatus> out = new ArrayList<>();
    TrustedSet set = trust.current().orElse(null);
    if (set == null) {
      return out;
    }
    for (TrustedSet.Member trusted : set.members()) {
      if (trusted.id().equals(self)) {
        continue;
      }
      Member member = member(trusted.id());
      List<Connection> open = lanes.getOrDefault(trusted.id(), List.of());
      long in = open.stream().mapToLong(Connection::bytesIn).sum();
      long outBytes = open.stream().mapToLong(Connection::bytesOut).sum();
      synchronized (member) {
        out.add(
            new MemberStatus(
                trusted.id(), trusted.name(), member.state, member.lastSeen, in, outBytes));
      }
    }
    return out;
  }

  public MemberState state(DeviceId id) {
    Member member = member(id);
    synchronized (member) {
      return member.state;
    }
  }

  private Member member(DeviceId id) {
    return members.computeIfAbsent(id, k -> new Member());
  }

  @Override
  public void onOpen(Connection connection) {
    lanes
        .computeIfAbsent(connection.peer(), k -> Collections.synchronizedList(new ArrayList<>()))
        .add(connection);
    if (connection.lane() == Lane.CONTROL) {
      control.put(connection.peer(), connection);
    }
    heard(connection.peer());
  }

  @Override
  public void onClose(Connection connection, String reason) {
    control.remove(connection.peer(), connection);
    List<Connection> open = lanes.get(connection.peer());
    if (open != null) {
      open.remove(connection);
    }
  }

  @Override
  public void onFrame(Connection connection, Frame frame) {
    heard(connection.peer());
    switch (frame.getBodyCase()) {
      case SWIM_PING -> answer(connection, frame.getSwimPing());
      case SWIM_ACK -> acknowledged(frame.getSwimAck());
      default -> {
        // other traffic only proves the peer is alive
      }
    }
  }

  private void heard(DeviceId id) {
    Member member = member(id);
    synchronized (member) {
      member.state = MemberState.REACHABLE;
      member.failedProbes = 0;
      member.lastSeen = Instant.now();
    }
  }

  private void answer(Connection from, SwimPing ping) {
    if (ping.getTarget().isEmpty()) {
      send(
          from,
          Frame.newBuilder()
              .setSwimAck(SwimAck.newBuilder().setSequence(ping.getSequence()))
              .build());
      return;
    }
    DeviceId target;
    try {
      target = new DeviceId(ping.getTarget());
    } catch (IllegalArgumentException e) {
      return;
    }
    Connection toTarget = control.get(target);
    if (toTarget != null) {
      long sequence = sequences.incrementAndGet();
      relays.put(sequence, new Relay(from, ping.getSequence(), target));
      send(
          toTarget,
          Frame.newBuilder().setSwimPing(SwimPing.newBuilder().setSequence(sequence)).build());
      ticker.schedule(
          () -> relays.remove(sequence), config.probeInterval().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void acknowledged(SwimAck ack) {
    Relay relay = relays.remove(ack.getSequence());
    if (relay != null) {
      send(
          relay.requester(),
          Frame.newBuilder()
              .setSwimAck(
                  SwimAck.newBuilder()
                      .setSequence(relay.requesterSequence())
                      .setTarget(relay.target().value()))
              .build());
      return;
    }
    CompletableFuture<Void> waiting = awaiting.remove(ack.getSequence());
    if (waiting != null) {
      waiting.complete(null);
    }
  }

  private void probeNext() {
    List<DeviceId> peers =
        trust
            .current()
            .map(
                set ->
                    set.members().stream()
                        .map(TrustedSet.Member::id)
                        .filter(id -> !id.equals(self))
                        .sorted()
                        .toList())
            .orElse(List.of());
    if (peers.isEmpty()) {
      return;
    }
    DeviceId target = peers.get(Math.floorMod(next++, peers.size()));
    Thread.ofVirtual().start(() -> probe(target));
  }

  private void probe(DeviceId target) {
    CompletableFuture<Void> answered = new CompletableFuture<>();
    List<Long> sequences = new ArrayList<>();
    Connection direct = control.get(target);
    if (direct != null) {
      long sequence = expect(answered, sequences);
      send(
          direct,
          Frame.newBuilder().setSwimPing(SwimPing.newBuilder().setSequence(sequence)).build());
    }
    boolean ok = await(answered, config.pingTimeout().toMillis());
    if (!ok) {
      List<Connection> helpers = new ArrayList<>(control.values());
      helpers.removeIf(c -> c.peer().equals(target));
      Collections.shuffle(helpers);
      for (Connection helper :
          helpers.subList(0, Math.min(config.indirectProbes(), helpers.size()))) {
        long sequence = expect(answered, sequences);
        send(
            helper,
            Frame.newBuilder()
                .setSwimPing(SwimPing.newBuilder().setSequence(sequence).setTarget(target.value()))
                .build());
      }
      long rest = Math.max(1, config.probeInterval().toMillis() - config.pingTimeout().toMillis());
      ok = await(answered, rest);
    }
    sequences.forEach(awaiting::remove);
    if (ok) {
      heard(target);
    } else {
      failed(target);
    }
  }

  private long expect(CompletableFuture<Void> answered, List<Long> sequences) {
    long sequence = this.sequences.incrementAndGet();
    awaiting.put(sequence, answered);
    sequences.add(sequence);
    return sequence;
  }

  private void failed(DeviceId target) {
    Member member = member(target);
    synchronized (member) {
      member.failedProbes++;
      long now = System.nanoTime();
      if (member.state != MemberState.SUSPECT
          && member.state != MemberState.DEAD
          && member.failedProbes >= config.suspectAfterFailedProbes()) {
        member.state = MemberState.SUSPECT;
        member.suspectSinceNanos = now;
      } else if (member.state == MemberState.SUSPECT
          && now - member.suspectSinceNanos >= config.deadAfter().toNanos()) {
        member.state = MemberState.DEAD;
      }
    }
  }

  private static boolean await(CompletableFuture<Void> future, long millis) {
    try {
      future.get(millis, TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return false;
    }
  }

  private static void send(Connection connection, Frame frame) {
    try {
      connection.send(frame);
    } catch (IOException ignored) {
      // a lost link shows up as failed probes
    }
  }

  @Override
  public void close() {
    ticker.shutdownNow();
  }
}
