package org.gossipdrive.net.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.transport.Transport;
import org.gossipdrive.net.transport.TransportConfig;
import org.gossipdrive.net.trust.TrustStore;
import org.gossipdrive.net.trust.TrustedSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failure detection between three devices over real TLS on 127.0.0.1. */
class MembershipTest {
  private static final MembershipConfig FAST =
      new MembershipConfig(
          Duration.ofMillis(100), Duration.ofMillis(40), 3, Duration.ofMillis(400), 2);

  @TempDir Path dir;
  private final List<Node> nodes = new ArrayList<>();

  private final class Node implements AutoCloseable {
    final String name;
    final DeviceIdentity identity;
    TrustStore trust;
    Membership membership;
    Transport transport;
    InetSocketAddress address;

    Node(String name) {
      this(name, DeviceIdentity.generate());
    }

    Node(String name, DeviceIdentity identity) {
      this.name = name;
      this.identity = identity;
    }

    void start(TrustedSet set, DeviceIdentity signer) throws Exception {
      trust = TrustStore.open(dir.resolve(name + "-" + System.nanoTime()));
      trust.accept(set.sign(signer));
      membership = new Membership(identity.id(), trust, FAST);
      transport =
          new Transport(
              identity,
              set.driveId(),
              name,
              trust,
              TransportConfig.defaults(),
              new FrameFanout(membership));
      address = transport.listen(new InetSocketAddress("127.0.0.1", 0));
    }

    @Override
    public void close() {
      if (transport != null) {
        transport.close();
      }
      if (membership != null) {
        membership.close();
      }
    }
  }

  @AfterEach
  void stop() {
    nodes.forEach(Node::close);
  }

  private TrustedSet mesh() throws Exception {
    for (String name : List.of("alice", "bob", "carol")) {
      nodes.add(new Node(name));
    }
    TrustedSet set = TrustedSet.founding("DRIVE-M", nodes.get(0).identity, "alice");
    for (Node node : nodes.subList(1, 3)) {
      set =
          set.with(
              node.identity.id(),
              node.identity.rawPublicKey(),
              node.name,
              nodes.get(0).identity.id());
    }
    for (Node node : nodes) {
      node.start(set, nodes.get(0).identity);
    }
    for (int i = 0; i < 3; i++) {
      for (int j = i + 1; j < 3; j++) {
        nodes.get(i).transport.connectPeer(nodes.get(j).address, nodes.get(j).identity.id());
      }
    }
    return set;
  }

  private static long await(BooleanSupplier condition, Duration limit, String what)
      throws InterruptedException {
    long start = System.nanoTime();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - start > limit.toNanos()) {
        throw new AssertionError("timed out after " + limit.toMillis() + " ms waiting for " + what);
      }
      Thread.sleep(10);
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  @Test
  void aKilledPeerBecomesSuspectThenDeadAndItsReturnIsNoticed() throws Exception {
    TrustedSet set = mesh();
    Node alice = nodes.get(0);
    Node carol = nodes.get(2);
    await(
        () -> alice.membership.view().stream().allMatch(m -> m.state() == MemberState.REACHABLE),
        Duration.ofSeconds(5),
        "everyone reachable");
    // probes flow within a few intervals, and the status counts them
    await(
        () -> alice.membership.view().stream().allMatch(m -> m.bytesIn() > 0 && m.bytesOut() > 0),
        Duration.ofSeconds(3),
        "traffic counted for every peer");

    carol.close();
    // carol is probed every 2 intervals (200 ms); 3 failures make it suspect, then 400 ms to dead
    long suspectMs =
        await(
            () -> alice.membership.state(carol.identity.id()) == MemberState.SUSPECT,
            Duration.ofSeconds(3),
            "carol suspect");
    long deadMs =
        await(
            () -> alice.membership.state(carol.identity.id()) == MemberState.DEAD,
            Duration.ofSeconds(3),
            "carol dead");
    System.out.printf("carol suspect after %d ms, dead %d ms later%n", suspectMs, deadMs);
    assertEquals(
        MemberState.REACHABLE,
        alice.membership.state(nodes.get(1).identity.id()),
        "bob is unaffected");

    Node back = new Node("carol", carol.identity); // the same device, restarted
    nodes.set(2, back);
    back.start(set, nodes.get(0).identity);
    back.transport.connectPeer(alice.address, alice.identity.id());
    await(
        () -> alice.membership.state(carol.identity.id()) == MemberState.REACHABLE,
        Duration.ofSeconds(3),
        "carol's return noticed");
  }

  @Test
  void aBrokenDirectLinkIsBridgedByIndirectProbes() throws Exception {
    mesh();
    Node alice = nodes.get(0);
    Node bob = nodes.get(1);
    await(
        () -> alice.membership.view().stream().allMatch(m -> m.state() == MemberState.REACHABLE),
        Duration.ofSeconds(5),
        "everyone reachable");
    // cut only alice <-> bob; carol still reaches both
    alice.transport.connections().stream()
        .filter(c -> c.peer().equals(bob.identity.id()))
        .forEach(c -> c.close("cut"));
    await(
        () ->
            alice.transport.connections().stream()
                .noneMatch(c -> c.peer().equals(bob.identity.id())),
        Duration.ofSeconds(3),
        "link cut");
    long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    while (System.nanoTime() < deadline) {
      assertEquals(
          MemberState.REACHABLE,
          alice.membership.state(bob.identity.id()),
          "bob answers through carol");
      Thread.sleep(20);
    }
  }
}
