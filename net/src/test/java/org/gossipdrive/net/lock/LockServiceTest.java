package org.gossipdrive.net.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.gossipdrive.engine.lock.AcquireResult;
import org.gossipdrive.engine.lock.Lock;
import org.gossipdrive.engine.lock.Verdict;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.membership.FrameFanout;
import org.gossipdrive.net.transport.Connection;
import org.gossipdrive.net.transport.FrameListener;
import org.gossipdrive.net.transport.Transport;
import org.gossipdrive.net.transport.TransportConfig;
import org.gossipdrive.net.transport.TrustPolicy;
import org.gossipdrive.net.wire.proto.Frame;
import org.gossipdrive.net.wire.proto.LockAnnounce;
import org.gossipdrive.net.wire.proto.LockEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The lock protocol between devices over real TLS on 127.0.0.1. */
class LockServiceTest {
  private static final LockConfig FAST =
      new LockConfig(Duration.ofMillis(900), Duration.ofMillis(300), Duration.ofSeconds(3));
  private static final String DRIVE = "DRIVE-LOCKS";

  private final Set<DeviceId> trusted = ConcurrentHashMap.newKeySet();
  private final Set<DeviceId> unreachable = ConcurrentHashMap.newKeySet();
  private final List<Node> nodes = new ArrayList<>();

  /** A device: a transport and, unless mute, a lock service listening to it. */
  private final class Node implements AutoCloseable {
    final String name;
    final DeviceIdentity identity = DeviceIdentity.generate();
    final List<Connection> connections = new java.util.concurrent.CopyOnWriteArrayList<>();
    final LockService locks;
    final Transport transport;
    final InetSocketAddress address;

    Node(String name, boolean mute) throws Exception {
      this.name = name;
      trusted.add(identity.id());
      locks =
          new LockService(
              identity.id(), name, FAST, Clock.systemUTC(), id -> !unreachable.contains(id));
      FrameListener tracker =
          new FrameListener() {
            @Override
            public void onFrame(Connection connection, Frame frame) {}

            @Override
            public void onOpen(Connection connection) {
              connections.add(connection);
            }
          };
      transport =
          new Transport(
              identity,
              DRIVE,
              name,
              TrustPolicy.of(trusted::contains),
              TransportConfig.defaults(),
              mute ? tracker : new FrameFanout(tracker, locks));
      address = transport.listen(new InetSocketAddress("127.0.0.1", 0));
    }

    DeviceId id() {
      return identity.id();
    }

    @Override
    public void close() {
      transport.close();
      locks.close();
    }
  }

  @AfterEach
  void stop() {
    nodes.forEach(Node::close);
  }

  private List<Node> mesh(int count) throws Exception {
    for (int i = 0; i < count; i++) {
      nodes.add(new Node("device-" + (char) ('a' + i), false));
    }
    for (int i = 0; i < count; i++) {
      for (int j = i + 1; j < count; j++) {
        connect(nodes.get(i), nodes.get(j));
      }
    }
    return nodes;
  }

  private static void connect(Node from, Node to) throws Exception {
    from.transport.connectPeer(to.address, to.id());
    await(() -> to.connections.stream().anyMatch(c -> c.peer().equals(from.id())), "connected");
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(5);
    }
  }

  private static boolean holds(Node viewer, String path, Node holder) {
    return viewer.locks.lock(path).map(l -> l.holder().equals(holder.id())).orElse(false);
  }

  @Test
  void aHeldLockRefusesOthersUntilReleased() throws Exception {
    List<Node> mesh = mesh(3);
    Node a = mesh.get(0);
    Node b = mesh.get(1);
    Node c = mesh.get(2);

    assertTrue(a.locks.acquire("/X.blend").granted());
    assertTrue(a.locks.acquire("/X.blend").granted(), "re-acquiring a held lock is free");
    await(() -> holds(b, "/X.blend", a) && holds(c, "/X.blend", a), "everyone sees a's lock");

    AcquireResult refused = b.locks.acquire("/X.blend");
    assertEquals(Verdict.HELD, refused.verdict());
    assertEquals("device-a", refused.lock().orElseThrow().holderName());
    assertTrue(b.locks.heldElsewhere("/X.blend"));
    assertFalse(a.locks.heldElsewhere("/X.blend"));
    assertTrue(b.locks.acquire("/other").granted(), "locks are per path");

    a.locks.release("/X.blend");
    await(() -> b.locks.lock("/X.blend").isEmpty(), "the release reaches b");
    assertTrue(b.locks.acquire("/X.blend").granted());
    await(() -> holds(a, "/X.blend", b) && holds(c, "/X.blend", b), "everyone sees b's lock");
  }

  @Test
  void simultaneousAcquiresFromThreeDevicesHaveExactlyOneWinner() throws Exception {
    List<Node> mesh = mesh(3);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      for (int round = 0; round < 10; round++) {
        String path = "/race-" + round;
        CyclicBarrier start = new CyclicBarrier(3);
        List<Future<AcquireResult>> results = new ArrayList<>();
        for (Node node : mesh) {
          results.add(
              pool.submit(
                  () -> {
                    start.await();
                    return node.locks.acquire(path);
                  }));
        }
        List<Node> winners = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          if (results.get(i).get().granted()) {
            winners.add(mesh.get(i));
          }
        }
        assertEquals(1, winners.size(), "round " + round + ": exactly one holder");
        Node winner = winners.getFirst();
        await(
            () -> mesh.stream().allMatch(n -> holds(n, path, winner)),
            "every device sees the one holder");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aVanishedHoldersLockEndsWithItsLease() throws Exception {
    List<Node> mesh = mesh(2);
    Node a = mesh.get(0);
    Node b = mesh.get(1);
    assertTrue(a.locks.acquire("/doc.odt").granted());
    await(() -> holds(b, "/doc.odt", a), "b sees the lock");

    long start = System.nanoTime();
    a.transport.close(); // gone without a word, like kill -9
    await(() -> b.locks.lock("/doc.odt").isEmpty(), "the lease expires");
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertTrue(ms <= FAST.lease().toMillis() + 500, "freed within the lease: " + ms + " ms");
    assertTrue(b.locks.acquire("/doc.odt").granted());
  }

  @Test
  void leasesAreRenewedWhileTheHolderLives() throws Exception {
    List<Node> mesh = mesh(2);
    Node a = mesh.get(0);
    Node b = mesh.get(1);
    assertTrue(a.locks.acquire("/long-session").granted());
    Thread.sleep(FAST.lease().toMillis() * 3);
    assertTrue(holds(b, "/long-session", a), "still held after three leases");
  }

  @Test
  void aPeerThatDoesNotAnswerDoesNotBlockAnAcquire() throws Exception {
    List<Node> mesh = mesh(2);
    Node mute = new Node("mute", true);
    nodes.add(mute);
    connect(mesh.get(0), mute);
    long start = System.nanoTime();
    assertTrue(mesh.get(0).locks.acquire("/X").granted());
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertTrue(ms >= FAST.replyTimeout().toMillis() - 50, "waited for the silent peer: " + ms);
    await(() -> holds(mesh.get(1), "/X", mesh.get(0)), "the answering peer sees the lock");
  }

  @Test
  void aLockOfAnUnreachableDeviceCanBeBrokenAndOnlyThen() throws Exception {
    List<Node> mesh = mesh(3);
    Node a = mesh.get(0);
    Node b = mesh.get(1);
    Node c = mesh.get(2);
    assertTrue(a.locks.acquire("/scene.blend").granted());
    await(() -> holds(b, "/scene.blend", a) && holds(c, "/scene.blend", a), "lock seen");

    IllegalStateException online =
        assertThrows(IllegalStateException.class, () -> b.locks.breakLock("/scene.blend"));
    assertTrue(online.getMessage().contains("online"), online.getMessage());

    unreachable.add(a.id());
    Lock broken = b.locks.breakLock("/scene.blend");
    assertEquals(a.id(), broken.holder());
    await(() -> c.locks.lock("/scene.blend").isEmpty(), "the break reaches c");
    await(() -> a.locks.brokenLocks().contains("/scene.blend"), "the holder learns of it");
    assertTrue(b.locks.acquire("/scene.blend").granted());
  }

  @Test
  void aBrokenLockStaysBrokenWhenItsHolderComesBack() throws Exception {
    List<Node> mesh = mesh(2);
    Node a = mesh.get(0);
    Node b = mesh.get(1);
    assertTrue(a.locks.acquire("/away.blend").granted());
    await(() -> holds(b, "/away.blend", a), "b sees the lock");

    a.connections.forEach(c -> c.close("cut"));
    b.connections.forEach(c -> c.close("cut"));
    unreachable.add(a.id());
    b.locks.breakLock("/away.blend");
    unreachable.remove(a.id());
    a.transport.connectPeer(b.address, b.id());

    await(() -> a.locks.brokenLocks().contains("/away.blend"), "the holder hears of the break");
    assertTrue(a.locks.lock("/away.blend").isEmpty(), "and no longer holds it");
    Thread.sleep(FAST.lease().toMillis());
    assertTrue(b.locks.lock("/away.blend").isEmpty(), "its announcements did not revive it");
    assertTrue(b.locks.acquire("/away.blend").granted());
    await(() -> holds(a, "/away.blend", b), "the new holder everywhere");
  }

  @Test
  void aLockAnnouncedForAnotherDeviceIsIgnored() throws Exception {
    List<Node> mesh = mesh(2);
    Node b = mesh.get(1);
    Node forger = new Node("forger", true);
    nodes.add(forger);
    connect(forger, b);
    Connection toB =
        forger.connections.stream().filter(c -> c.peer().equals(b.id())).findFirst().orElseThrow();
    Frame forged =
        Frame.newBuilder()
            .setLockAnnounce(
                LockAnnounce.newBuilder()
                    .addLocks(
                        LockEntry.newBuilder()
                            .setPath("/victim")
                            .setHolder(mesh.get(0).id().value())
                            .setHolderName("device-a")
                            .setStamp(1)
                            .setLeaseMillis(60_000)))
            .build();
    toB.send(forged);
    Frame own =
        Frame.newBuilder()
            .setLockAnnounce(
                LockAnnounce.newBuilder()
                    .addLocks(
                        LockEntry.newBuilder()
                            .setPath("/mine")
                            .setHolder(forger.id().value())
                            .setHolderName("forger")
                            .setStamp(2)
                            .setLeaseMillis(60_000)))
            .build();
    toB.send(own);
    await(() -> holds(b, "/mine", forger), "the sender's own lock is recorded");
    assertTrue(b.locks.lock("/victim").isEmpty(), "a lock in another device's name is not");
  }
}
