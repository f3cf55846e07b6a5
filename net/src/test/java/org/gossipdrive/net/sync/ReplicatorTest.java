package org.gossipdrive.net.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.ReplicaOptions;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileType;
import org.gossipdrive.engine.tree.FileVersion;
import org.gossipdrive.engine.tree.VersionCodec;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.transport.Connection;
import org.gossipdrive.net.transport.PeerLink;
import org.gossipdrive.net.transport.Transport;
import org.gossipdrive.net.transport.TransportConfig;
import org.gossipdrive.net.trust.TrustStore;
import org.gossipdrive.net.trust.TrustedSet;
import org.gossipdrive.net.trust.VersionSignatures;
import org.gossipdrive.net.wire.proto.Frame;
import org.gossipdrive.net.wire.proto.Lane;
import org.gossipdrive.net.wire.proto.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three devices replicate over real TLS on 127.0.0.1. */
class ReplicatorTest {
  @TempDir Path dir;
  private final List<Node> nodes = new ArrayList<>();

  private final class Node implements AutoCloseable {
    final String name;
    final DeviceIdentity identity = DeviceIdentity.generate();
    TrustStore trust;
    Replica replica;
    Replicator replicator;
    Transport transport;
    InetSocketAddress address;

    /** Serves chunks whose bytes are garbage (a faulty or malicious peer); all else is honest. */
    boolean servesDamagedChunks;

    /** Answers snapshot requests with a well-formed snapshot holding one altered record. */
    boolean servesForgedSnapshot;

    /**
     * With {@link #servesForgedSnapshot}: every record is left honest, and the floor claims this
     * node's records up to this sequence instead.
     */
    Long forgedFloor;

    /** Snapshot requests this node received. */
    final java.util.concurrent.atomic.AtomicInteger snapshotRequests =
        new java.util.concurrent.atomic.AtomicInteger();

    /** Records a peer may lag behind this node before it offers a snapshot. */
    long snapshotThreshold = Replicator.DEFAULT_SNAPSHOT_THRESHOLD;

    /** Chunk ids asked of this node, per connection, in order of the connections. */
    final List<java.util.concurrent.atomic.AtomicInteger> chunksAsked =
        new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Once this many chunks were asked on its first connection, that connection is cut. */
    int cutFirstLinkAfterChunks = Integer.MAX_VALUE;

    /** Chunk ids asked of this node, per asking peer. */
    final Map<org.gossipdrive.engine.tree.DeviceId, java.util.concurrent.atomic.AtomicInteger>
        chunksAskedBy = new java.util.concurrent.ConcurrentHashMap<>();

    /** Record batches reach this node's replicator this much later (digests do not wait). */
    long recordDelayMillis;

    Node(String name) {
      this.name = name;
    }

    void start(TrustedSet set, DeviceIdentity signer) throws Exception {
      Path home = dir.resolve(name);
      trust = TrustStore.open(home);
      trust.accept(set.sign(signer));
      replica =
          Replica.open(
              home.resolve("store"),
              ReplicaOptions.defaults(identity.id())
                  .withSigner(VersionSignatures.signer(identity))
                  .withDeviceNames(
                      id ->
                          trust
                              .current()
                              .flatMap(t -> t.member(id))
                              .map(TrustedSet.Member::name)
                              .orElse("unknown")));
      replicator = new Replicator(replica, trust, Duration.ofMillis(300), snapshotThreshold);
      org.gossipdrive.net.transport.FrameListener listener =
          !servesDamagedChunks && !servesForgedSnapshot
              ? counting(replicator)
              : intercepting(replicator, this::misbehave);
      transport =
          new Transport(identity, set.driveId(), name, trust, TransportConfig.defaults(), listener);
      address = transport.listen(new InetSocketAddress("127.0.0.1", 0));
    }

    /**
     * Answers what this node is set to answer wrongly (a forged snapshot, garbage for chunks);
     * returns whether it took the frame.
     */
    private boolean misbehave(Connection connection, Frame frame) {
      if (frame.getBodyCase() == Frame.BodyCase.SNAPSHOT_REQUEST) {
        snapshotRequests.incrementAndGet();
      }
      if (servesForgedSnapshot && frame.getBodyCase() == Frame.BodyCase.SNAPSHOT_REQUEST) {
        sendForgedSnapshot(connection, frame.getSnapshotRequest().getRequestId());
        return true;
      }
      if (!servesDamagedChunks || frame.getBodyCase() != Frame.BodyCase.CHUNK_REQUEST) {
        return false;
      }
      for (ByteString id : frame.getChunkRequest().getIdsList()) {
        try {
          connection.send(
              Frame.newBuilder()
                  .setChunkReply(
                      org.gossipdrive.net.wire.proto.ChunkReply.newBuilder()
                          .setRequestId(frame.getChunkRequest().getRequestId())
                          .setId(id)
                          .setData(ByteString.copyFromUtf8("not the chunk you want")))
                  .build());
        } catch (java.io.IOException e) {
          break;
        }
      }
      return true;
    }

    /** Counts the chunk ids asked on each bulk lane, and cuts the first one when told to. */
    private org.gossipdrive.net.transport.FrameListener counting(
        org.gossipdrive.net.transport.FrameListener inner) {
      Map<Connection, java.util.concurrent.atomic.AtomicInteger> perConnection =
          new java.util.concurrent.ConcurrentHashMap<>();
      return intercepting(
          inner,
          (connection, frame) -> {
            if (frame.getBodyCase() == Frame.BodyCase.SNAPSHOT_REQUEST) {
              snapshotRequests.incrementAndGet();
            }
            if (frame.getBodyCase() == Frame.BodyCase.CHUNK_REQUEST) {
              var asked =
                  perConnection.computeIfAbsent(
                      connection,
                      c -> {
                        var counter = new java.util.concurrent.atomic.AtomicInteger();
                        chunksAsked.add(counter);
                        return counter;
                      });
              int total = asked.addAndGet(frame.getChunkRequest().getIdsCount());
              chunksAskedBy
                  .computeIfAbsent(
                      connection.peer(), p -> new java.util.concurrent.atomic.AtomicInteger())
                  .addAndGet(frame.getChunkRequest().getIdsCount());
              if (chunksAsked.getFirst() == asked && total > cutFirstLinkAfterChunks) {
                connection.close("the test cuts this link mid-transfer");
                return true;
              }
            }
            if (frame.getBodyCase() == Frame.BodyCase.RECORD_BATCH && recordDelayMillis > 0) {
              try {
                Thread.sleep(recordDelayMillis);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
              }
            }
            return false;
          });
    }

    /** This node's snapshot with the first file renamed "forged.txt", its signature kept. */
    private void sendForgedSnapshot(Connection connection, long requestId) {
      try {
        Path honest = dir.resolve(name + "-honest.snapshot");
        Path forged = dir.resolve(name + "-forged.snapshot");
        replica.takeSnapshot(honest, Long.MAX_VALUE);
        var source = org.gossipdrive.engine.snapshot.SnapshotFile.open(honest);
        Map<org.gossipdrive.engine.tree.DeviceId, Long> floor = new TreeMap<>(source.floor());
        if (forgedFloor != null) {
          floor.put(identity.id(), forgedFloor);
        }
        boolean[] altered = {forgedFloor != null};
        try (var writer = new org.gossipdrive.engine.snapshot.SnapshotWriter(forged, floor)) {
          source.forEachBatch(
              100,
              batch -> {
                for (FileVersion record : batch) {
                  FileVersion out = record;
                  if (!altered[0] && record.type() == FileType.FILE) {
                    out = record.withPlace(record.parent(), "forged.txt");
                    altered[0] = true;
                  }
                  try {
                    writer.add(out);
                  } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                }
                return true;
              });
          writer.finish();
        }
        byte[] bytes = java.nio.file.Files.readAllBytes(forged);
        connection.send(
            Frame.newBuilder()
                .setSnapshotPart(
                    org.gossipdrive.net.wire.proto.SnapshotPart.newBuilder()
                        .setRequestId(requestId)
                        .setTotalBytes(bytes.length)
                        .setRecords(source.records())
                        .setData(ByteString.copyFrom(bytes)))
                .build());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    /** {@code inner}, except for the frames {@code takenHere} handles (it returns true). */
    private static org.gossipdrive.net.transport.FrameListener intercepting(
        org.gossipdrive.net.transport.FrameListener inner,
        java.util.function.BiPredicate<Connection, Frame> takenHere) {
      return new org.gossipdrive.net.transport.FrameListener() {
        @Override
        public void onFrame(Connection connection, Frame frame) {
          if (!takenHere.test(connection, frame)) {
            inner.onFrame(connection, frame);
          }
        }

        @Override
        public void onOpen(Connection connection) {
          inner.onOpen(connection);
        }

        @Override
        public void onClose(Connection connection, String reason) {
          inner.onClose(connection, reason);
        }
      };
    }

    PeerLink connect(Node other) throws Exception {
      return transport.connectPeer(other.address, other.identity.id());
    }

    @Override
    public void close() {
      if (transport != null) {
        transport.close();
      }
      if (replicator != null) {
        replicator.close();
      }
      if (replica != null) {
        replica.close();
      }
    }
  }

  @AfterEach
  void stopAll() {
    nodes.forEach(Node::close);
  }

  private List<Node> mesh(int count) throws Exception {
    started(count, -1);
    for (int i = 0; i < count; i++) {
      for (int j = i + 1; j < count; j++) {
        nodes.get(i).connect(nodes.get(j));
      }
    }
    return nodes;
  }

  /**
   * {@code count} more trusted devices (after any the test created and configured), all started,
   * not yet connected; the one at {@code liar} serves garbage.
   */
  private List<Node> started(int count, int liar) throws Exception {
    for (int i = 0; i < count; i++) {
      nodes.add(new Node(List.of("alice", "bob", "carol", "dave", "erin").get(i)));
    }
    if (liar >= 0) {
      nodes.get(liar).servesDamagedChunks = true;
    }
    TrustedSet set =
        TrustedSet.founding("DRIVE-R", nodes.getFirst().identity, nodes.getFirst().name);
    for (Node node : nodes.subList(1, nodes.size())) {
      set =
          set.with(
              node.identity.id(),
              node.identity.rawPublicKey(),
              node.name,
              nodes.getFirst().identity.id());
    }
    for (Node node : nodes) {
      node.start(set, nodes.getFirst().identity);
    }
    return nodes;
  }

  private static Map<String, String> snapshot(Replica replica) throws Exception {
    Map<String, String> tree = new TreeMap<>();
    walk(replica, FileId.ROOT, "", tree);
    return tree;
  }

  private static void walk(
      Replica replica, FileId directory, String prefix, Map<String, String> tree) throws Exception {
    for (FileVersion entry : replica.list(directory)) {
      String path = prefix + "/" + entry.name();
      String content = "";
      if (entry.type() == FileType.FILE) {
        try (var in = replica.stream(entry)) {
          content =
              HexFormat.of()
                  .formatHex(
                      java.security.MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
        }
      }
      tree.put(path, entry.type() + " " + content);
      if (entry.isDirectory()) {
        walk(replica, entry.id(), path, tree);
      }
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  private boolean converged() {
    return converged(nodes);
  }

  private static boolean converged(List<Node> nodes) {
    try {
      Map<String, String> first = snapshot(nodes.getFirst().replica);
      for (Node node : nodes) {
        if (!snapshot(node.replica).equals(first)) {
          return false;
        }
      }
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static void write(Node node, String name, byte[] content) throws Exception {
    node.replica.writeFile(FileId.ROOT, name, new ByteArrayInputStream(content), 0644, false);
  }

  @Test
  void threePeersConvergeOverTlsIncludingBigFilesAndRenames() throws Exception {
    mesh(3);
    byte[] big = new byte[6 << 20];
    new Random(1).nextBytes(big);
    write(nodes.get(0), "big.bin", big);
    write(nodes.get(1), "notes.txt", "from bob".getBytes());
    FileId docs = nodes.get(2).replica.mkdir(FileId.ROOT, "docs", 0755).only().id();
    await(this::converged, "first convergence");
    FileVersion notes = nodes.get(2).replica.resolve("notes.txt").orElseThrow();
    nodes.get(2).replica.move(notes.id(), docs, "notes-moved.txt", false);
    await(this::converged, "the move reaches everyone");
    Map<String, String> tree = snapshot(nodes.get(0).replica);
    assertTrue(
        tree.containsKey("/docs/notes-moved.txt") && tree.containsKey("/big.bin"), tree.toString());
    try (var in =
        nodes.get(1).replica.stream(nodes.get(1).replica.resolve("big.bin").orElseThrow())) {
      assertTrue(java.util.Arrays.equals(big, in.readAllBytes()), "6 MiB file intact on bob");
    }
    for (Node node : nodes) {
      assertTrue(node.replica.verify().ok(), node.name + ": " + node.replica.verify().errors());
      assertEquals(0, node.replicator.rejectedRecords());
    }
  }

  @Test
  void editsMadeWhilePartitionedBothSurviveOnEveryPeer() throws Exception {
    mesh(2);
    write(nodes.get(0), "scene.blend", "base".getBytes());
    await(this::converged, "base version everywhere");
    // partition: drop every link, edit on both sides
    nodes.forEach(node -> node.transport.connections().forEach(c -> c.close("partition")));
    await(() -> nodes.stream().allMatch(n -> n.transport.connections().isEmpty()), "links down");
    write(nodes.get(0), "scene.blend", "alice offline".getBytes());
    write(nodes.get(1), "scene.blend", "bob offline".getBytes());
    nodes.get(0).connect(nodes.get(1));
    await(this::converged, "convergence after the partition heals");
    Map<String, String> tree = snapshot(nodes.get(0).replica);
    assertEquals(2, tree.size(), tree.toString());
    List<String> contents = new ArrayList<>();
    for (String path : tree.keySet()) {
      try (var in = nodes.get(0).replica.stream(nodes.get(0).replica.resolve(path).orElseThrow())) {
        contents.add(new String(in.readAllBytes()));
      }
    }
    assertTrue(
        contents.contains("alice offline") && contents.contains("bob offline"),
        contents.toString());
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "seed {0}")
  @org.junit.jupiter.params.provider.ValueSource(longs = {4242, 7, 2026})
  void fourPeersConvergeAfterRandomWorkWithLinksDroppingAndReturning(long seed) throws Exception {
    mesh(4);
    Random random = new Random(seed);
    for (int step = 0; step < 80; step++) {
      Node node = nodes.get(random.nextInt(nodes.size()));
      List<FileVersion> files = new ArrayList<>();
      for (FileVersion entry : node.replica.list(FileId.ROOT)) {
        if (entry.type() == FileType.FILE) {
          files.add(entry);
        }
      }
      try {
        switch (random.nextInt(5)) {
          case 0, 1 ->
              write(
                  node,
                  "f" + random.nextInt(10) + ".txt",
                  ("step " + step + " " + random.nextLong()).getBytes());
          case 2 -> {
            if (!files.isEmpty()) {
              FileVersion target = files.get(random.nextInt(files.size()));
              node.replica.move(target.id(), FileId.ROOT, "m" + random.nextInt(10) + ".txt", false);
            }
          }
          case 3 -> {
            if (!files.isEmpty()) {
              node.replica.delete(files.get(random.nextInt(files.size())).id());
            }
          }
          default -> {
            // churn: drop one of this node's links, or bring all its links back
            List<Connection> links = node.transport.connections();
            if (random.nextBoolean() && !links.isEmpty()) {
              links.get(random.nextInt(links.size())).close("churn");
            } else {
              reconnect(node);
            }
          }
        }
      } catch (org.gossipdrive.engine.tree.TreeException refused) {
        // a name already taken: the user would see EEXIST
      }
      Thread.sleep(random.nextInt(30));
    }
    for (Node node : nodes) {
      reconnect(node);
    }
    await(this::converged, "four peers converge after the churn");
    for (Node node : nodes) {
      assertTrue(node.replica.verify().ok(), node.name + ": " + node.replica.verify().errors());
      // Every version no other supersedes is a file or a conflict copy on every peer.
      List<FileVersion> lost = org.gossipdrive.engine.maintenance.EditAudit.lostEdits(node.replica);
      assertTrue(
          lost.isEmpty(),
          node.name + " lost " + lost.stream().map(v -> v.name() + " by " + v.author()).toList());
    }
  }

  /** Re-opens both lanes to every peer this node has lost. */
  private void reconnect(Node node) throws Exception {
    for (Node other : nodes) {
      if (other == node) {
        continue;
      }
      long lanes =
          node.transport.connections().stream()
                  .filter(c -> c.peer().equals(other.identity.id()))
                  .count()
              + other.transport.connections().stream()
                  .filter(c -> c.peer().equals(node.identity.id()))
                  .count();
      if (lanes < 4) {
        node.transport.connections().stream()
            .filter(c -> c.peer().equals(other.identity.id()))
            .forEach(c -> c.close("reconnect"));
        node.connect(other);
      }
    }
  }

  @Test
  void aPeerSendingDamagedChunksIsCountedAndTheChunksComeFromAnother() throws Exception {
    started(3, 1);
    Node alice = nodes.get(0);
    Node bob = nodes.get(1); // serves garbage for every chunk it is asked
    Node carol = nodes.get(2);
    alice.connect(bob);
    byte[] photo = new byte[3 << 20];
    new Random(5).nextBytes(photo);
    write(alice, "photo.raw", photo);
    await(() -> bob.replica.resolve("photo.raw").isPresent(), "bob holds the record");

    // Carol hears of the file from bob only: every chunk he sends is refused, nothing is applied.
    carol.connect(bob);
    await(
        () -> carol.replicator.damagedChunks().getOrDefault(bob.identity.id(), 0L) > 0,
        "bob counted as sending damaged chunks");
    assertTrue(carol.replica.resolve("photo.raw").isEmpty(), "no damaged file exposed");

    // Once alice is reachable too, the chunks come from her, whoever sent the record.
    carol.connect(alice);
    await(() -> carol.replica.resolve("photo.raw").isPresent(), "the file on carol");
    try (var in = carol.replica.stream(carol.replica.resolve("photo.raw").orElseThrow())) {
      assertTrue(java.util.Arrays.equals(photo, in.readAllBytes()), "intact on carol");
    }
    assertEquals(0L, carol.replicator.damagedChunks().getOrDefault(alice.identity.id(), 0L));
    assertTrue(carol.replica.verify().ok());
  }

  @Test
  void aBigFileTravelsWhileItIsStillBeingWritten() throws Exception {
    mesh(2);
    Node alice = nodes.get(0);
    Node bob = nodes.get(1);
    byte[] render = new byte[48 << 20];
    new Random(9).nextBytes(render);
    java.util.concurrent.CountDownLatch halfway = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch resume = new java.util.concurrent.CountDownLatch(1);
    // The second half is only written once bob holds chunks of the first: the file is open.
    java.io.InputStream slowWriter =
        new java.io.SequenceInputStream(
            new ByteArrayInputStream(render, 0, render.length / 2),
            new java.io.InputStream() {
              private java.io.InputStream rest;

              @Override
              public int read() throws java.io.IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
              }

              @Override
              public int read(byte[] b, int off, int len) throws java.io.IOException {
                if (rest == null) {
                  halfway.countDown();
                  try {
                    resume.await();
                  } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                  }
                  rest =
                      new ByteArrayInputStream(
                          render, render.length / 2, render.length - render.length / 2);
                }
                return rest.read(b, off, len);
              }
            });
    Thread writer =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    alice.replica.writeFile(FileId.ROOT, "render.exr", slowWriter, 0644, false);
                  } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                });
    try {
      assertTrue(halfway.await(30, java.util.concurrent.TimeUnit.SECONDS));
      await(
          () -> bob.replicator.chunksReceivedAhead() >= 8,
          "bob holding chunks of the file while alice still writes it");
      assertTrue(bob.replica.resolve("render.exr").isEmpty(), "nothing exposed before the commit");
    } finally {
      resume.countDown();
      writer.join();
    }
    await(() -> bob.replica.resolve("render.exr").isPresent(), "the file on bob");
    try (var in = bob.replica.stream(bob.replica.resolve("render.exr").orElseThrow())) {
      assertTrue(java.util.Arrays.equals(render, in.readAllBytes()), "intact on bob");
    }
    int chunks = alice.replica.resolve("render.exr").orElseThrow().chunks().size();
    int asked =
        alice.chunksAsked.stream().mapToInt(java.util.concurrent.atomic.AtomicInteger::get).sum();
    System.out.printf(
        "big file pushed while written: %d chunks, %d kept ahead by bob, %d fetched at the end%n",
        chunks, bob.replicator.chunksReceivedAhead(), asked);
    assertTrue(asked < chunks / 2, "bob fetched " + asked + " of " + chunks + " chunks at the end");
    assertTrue(bob.replica.verify().ok());
  }

  @Test
  void anInterruptedTransferResumesWithoutFetchingHeldChunksAgain() throws Exception {
    started(2, -1);
    Node alice = nodes.get(0);
    Node bob = nodes.get(1);
    byte[] video = new byte[40 << 20];
    new Random(8).nextBytes(video);
    write(alice, "video.mov", video);
    int chunks = alice.replica.resolve("video.mov").orElseThrow().chunks().size();
    alice.cutFirstLinkAfterChunks = chunks / 2;

    PeerLink first = bob.connect(alice);
    await(() -> !first.isOpen(), "the link cut halfway through the file");
    assertTrue(bob.replica.resolve("video.mov").isEmpty(), "no partial file exposed");

    bob.connect(alice);
    await(() -> bob.replica.resolve("video.mov").isPresent(), "the file after reconnecting");
    try (var in = bob.replica.stream(bob.replica.resolve("video.mov").orElseThrow())) {
      assertTrue(java.util.Arrays.equals(video, in.readAllBytes()), "intact on bob");
    }
    int again = alice.chunksAsked.getLast().get();
    System.out.printf(
        "interrupted transfer: %d chunks, %d asked before the cut, %d after it%n",
        chunks, alice.chunksAsked.getFirst().get(), again);
    assertTrue(
        again < chunks,
        "after the cut bob asked " + again + " of " + chunks + " chunks: those held are kept");
  }

  @Test
  void forgedAndUntrustedRecordsAreRejectedAndChangeNothing() throws Exception {
    mesh(2);
    Node alice = nodes.get(0);
    Node bob = nodes.get(1);
    write(alice, "report.odt", "honest".getBytes());
    await(this::converged, "honest record delivered");
    Map<String, String> before = snapshot(bob.replica);
    FileVersion honest = alice.replica.recordsAfter(alice.identity.id(), 0, 100).getLast();
    // 1. an altered record keeping the original signature
    FileVersion altered = honest.withPlace(honest.parent(), "evil.odt");
    // 2. a record by a device nobody trusts, properly signed by it
    DeviceIdentity mallory = DeviceIdentity.generate();
    FileVersion stranger =
        honest.stamped(
            honest.versionVector().increment(mallory.id()), honest.timestamp(), mallory.id(), 1);
    stranger =
        stranger.withSignature(
            VersionSignatures.signer(mallory).sign(VersionCodec.signedBytes(stranger)));
    Connection toBob =
        alice.transport.connections().stream()
            .filter(c -> c.peer().equals(bob.identity.id()) && c.lane() == Lane.CONTROL)
            .findFirst()
            .orElseThrow();
    toBob.send(
        Frame.newBuilder()
            .setRecordBatch(
                RecordBatch.newBuilder()
                    .addRecords(ByteString.copyFrom(VersionCodec.encode(altered)))
                    .addRecords(ByteString.copyFrom(VersionCodec.encode(stranger)))
                    .addRecords(ByteString.copyFrom(new byte[] {1, 2, 3})))
            .build());
    await(() -> bob.replicator.rejectedRecords() == 3, "bob rejects all three");
    assertEquals(before, snapshot(bob.replica), "nothing changed on bob");
    assertTrue(toBob.isOpen(), "a trusted peer relaying bad records is not disconnected for it");
  }

  @Test
  void aLateJoinerTakesASnapshotThenReplaysWhatArrivedMeanwhile() throws Exception {
    for (int i = 0; i < 4; i++) {
      nodes.add(new Node(List.of("alice", "bob", "carol", "dave").get(i)));
    }
    nodes.get(0).snapshotThreshold = 20;
    nodes.get(1).snapshotThreshold = 20;
    started(0, -1);
    Node alice = nodes.get(0);
    Node bob = nodes.get(1);
    Node carol = nodes.get(2);
    Node dave = nodes.get(3);
    alice.connect(bob);
    // A history: files in directories, each edited several times, some moved or deleted.
    List<FileId> dirs = new ArrayList<>();
    for (int d = 0; d < 3; d++) {
      dirs.add(alice.replica.mkdir(FileId.ROOT, "dir" + d, 0755).only().id());
    }
    for (int round = 0; round < 3; round++) {
      for (int f = 0; f < 20; f++) {
        alice.replica.writeFile(
            dirs.get(f % 3),
            "file" + f + ".txt",
            new ByteArrayInputStream(("round " + round + " of " + f).getBytes()),
            0644,
            false);
      }
    }
    await(() -> converged(List.of(alice, bob)), "alice and bob agree");
    for (int f = 0; f < 5; f++) {
      FileVersion file = bob.replica.resolve("dir" + (f % 3) + "/file" + f + ".txt").orElseThrow();
      if (f % 2 == 0) {
        bob.replica.delete(file.id());
      } else {
        bob.replica.move(file.id(), FileId.ROOT, "moved" + f + ".txt", false);
      }
    }
    await(() -> converged(List.of(alice, bob)), "alice and bob agree again");

    // Carol joins while alice keeps writing.
    java.util.concurrent.atomic.AtomicBoolean writing =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.concurrent.atomic.AtomicInteger written =
        new java.util.concurrent.atomic.AtomicInteger();
    Thread writer =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    while (writing.get()) {
                      int n = written.incrementAndGet();
                      write(
                          alice,
                          "during-" + n + ".txt",
                          ("written during the join " + n).getBytes());
                      Thread.sleep(15);
                    }
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
    try {
      carol.connect(alice);
      carol.connect(bob);
      await(() -> !carol.replica.snapshotFloor().isEmpty(), "carol adopts a snapshot");
      int atAdoption = written.get();
      await(() -> written.get() >= atAdoption + 10, "alice writes on after the snapshot");
    } finally {
      writing.set(false);
      writer.join();
    }
    await(() -> converged(List.of(alice, bob, carol)), "carol ends identical");
    DeviceIdAndCounts counts = new DeviceIdAndCounts(alice, carol);
    assertTrue(
        counts.floorOfAlice < counts.aliceHas,
        "records after the floor were replayed: floor "
            + counts.floorOfAlice
            + " of "
            + counts.aliceHas);
    assertTrue(
        counts.carolHolds < counts.aliceHolds,
        "superseded records stayed out: " + counts.carolHolds + " of " + counts.aliceHolds);
    assertTrue(carol.replicator.snapshotProgress().isEmpty(), "the join is over");
    assertEquals(0, carol.replicator.rejectedRecords());
    assertTrue(carol.replica.verify().ok(), carol.replica.verify().errors().toString());

    // Dave knows only carol, who cannot replay what came before her floor: she sends a snapshot
    // although dave is far below her replay threshold.
    dave.connect(carol);
    await(this::converged, "dave ends identical, through carol alone");
    assertTrue(!dave.replica.snapshotFloor().isEmpty(), "dave joined from carol's snapshot");
    assertEquals(0, dave.replicator.rejectedRecords());
  }

  /** Per-author counts compared by the late-join test. */
  private static final class DeviceIdAndCounts {
    final long floorOfAlice;
    final long aliceHas;
    final long aliceHolds;
    final long carolHolds;

    DeviceIdAndCounts(Node alice, Node carol) {
      var author = alice.identity.id();
      floorOfAlice = carol.replica.snapshotFloor().getOrDefault(author, 0L);
      aliceHas = alice.replica.digest().getOrDefault(author, 0L);
      aliceHolds = alice.replica.recordsAfter(author, 0, 1_000_000).size();
      carolHolds = carol.replica.recordsAfter(author, 0, 1_000_000).size();
    }
  }

  @Test
  void aSnapshotHoldingAForgedRecordIsRefusedWhole() throws Exception {
    for (String name : List.of("alice", "bob")) {
      nodes.add(new Node(name));
    }
    nodes.get(0).snapshotThreshold = 5;
    nodes.get(0).servesForgedSnapshot = true;
    started(0, -1);
    Node alice = nodes.get(0);
    Node bob = nodes.get(1);
    for (int f = 0; f < 20; f++) {
      write(alice, "file" + f + ".txt", ("content " + f).getBytes());
    }
    bob.connect(alice);
    await(() -> bob.replicator.rejectedRecords() > 0, "bob refuses the forged record");
    await(
        () -> bob.replicator.history().stream().anyMatch(e -> e.error().contains("snapshot")),
        "the refusal is in bob's sync history");
    assertTrue(bob.replica.snapshotFloor().isEmpty(), "no floor adopted");
    assertTrue(bob.replica.resolve("forged.txt").isEmpty(), "the forged name never shows");
    long refusals = bob.replicator.rejectedRecords();
    Thread.sleep(7_000); // past the 5 s pause between attempts
    assertEquals(refusals, bob.replicator.rejectedRecords(), "alice is not asked again");
  }

  @Test
  void aSnapshotWhoseFloorClaimsRecordsItDoesNotHoldIsRefusedWithNothingChanged() throws Exception {
    for (String name : List.of("alice", "bob")) {
      nodes.add(new Node(name));
    }
    Node alice = nodes.get(0);
    Node bob = nodes.get(1);
    alice.snapshotThreshold = 5;
    alice.servesForgedSnapshot = true;
    // Every record is honest and signed; only the floor lies: with it adopted, bob would never
    // ask for alice's records again, and would tell every peer he holds them all.
    alice.forgedFloor = Long.MAX_VALUE;
    started(0, -1);
    for (int f = 0; f < 20; f++) {
      write(alice, "file" + f + ".txt", ("content " + f).getBytes());
    }
    bob.connect(alice);
    await(
        () -> bob.replicator.history().stream().anyMatch(e -> e.error().contains("snapshot")),
        "bob refuses the snapshot");
    String error =
        bob.replicator.history().stream()
            .filter(e -> e.error().contains("snapshot"))
            .findFirst()
            .orElseThrow()
            .error();
    assertTrue(error.contains("snapshot refused: snapshot floor claims"), error);
    assertTrue(bob.replica.snapshotFloor().isEmpty(), "no floor adopted");
    assertTrue(
        bob.replica.digest().getOrDefault(alice.identity.id(), 0L) < 20,
        "bob claims none of alice's records he lacks: " + bob.replica.digest());
    assertTrue(bob.replica.resolve("file0.txt").isEmpty(), "nothing of the snapshot applied");
  }

  @Test
  void aSnapshotIsTakenOnlyWhileBehindAndItsFloorNamesAHeldRecord() throws Exception {
    for (String name : List.of("alice", "bob", "carol")) {
      nodes.add(new Node(name));
    }
    Node alice = nodes.get(0);
    Node bob = nodes.get(1);
    Node carol = nodes.get(2);
    alice.snapshotThreshold = 0; // alice offers a snapshot at every digest, level or not
    started(0, -1);
    write(alice, "a.txt", "one".getBytes());
    write(alice, "b.txt", "two".getBytes());
    // b.txt's record is superseded by a newer one of bob's: alice's floor names a record that is
    // no frontier, and the snapshot must carry it for bob to accept the floor.
    bob.connect(alice);
    await(() -> converged(List.of(alice, bob)), "bob joins by snapshot");
    assertEquals(1, alice.snapshotRequests.get());
    bob.replica.writeFile(
        FileId.ROOT, "b.txt", new ByteArrayInputStream("bob's".getBytes()), 0644, false);
    await(() -> converged(List.of(alice, bob)), "bob's edit reaches alice");

    // Past the 5 s pause between two snapshots: many anti-entropy rounds, each with an offer.
    Thread.sleep(7_000);
    assertEquals(1, alice.snapshotRequests.get(), "a device level with alice ignores her offers");

    carol.connect(alice);
    await(this::converged, "carol joins by snapshot, floor and all");
    assertEquals(
        alice.replica.digest().get(alice.identity.id()),
        carol.replica.snapshotFloor().get(alice.identity.id()),
        "carol's floor for alice is alice's own head, held by carol");
  }

  @Test
  void chunksComeFromEveryPeerHoldingThemLikeASwarm() throws Exception {
    started(3, -1);
    Node alice = nodes.get(0);
    Node bob = nodes.get(1);
    Node carol = nodes.get(2);
    alice.connect(bob);
    byte[] scene = new byte[40 << 20];
    new Random(21).nextBytes(scene);
    write(alice, "scene.blend", scene);
    await(() -> converged(List.of(alice, bob)), "bob holds the scene");
    int chunks = alice.replica.resolve("scene.blend").orElseThrow().chunks().size();

    // Carol meets both; her records wait a moment so that both digests are in when she fetches.
    carol.recordDelayMillis = 500;
    carol.connect(alice);
    carol.connect(bob);
    await(this::converged, "the scene on carol");
    try (var in = carol.replica.stream(carol.replica.resolve("scene.blend").orElseThrow())) {
      assertTrue(java.util.Arrays.equals(scene, in.readAllBytes()), "intact on carol");
    }
    int fromAlice =
        alice
            .chunksAskedBy
            .getOrDefault(carol.identity.id(), new java.util.concurrent.atomic.AtomicInteger())
            .get();
    int fromBob =
        bob.chunksAskedBy
            .getOrDefault(carol.identity.id(), new java.util.concurrent.atomic.AtomicInteger())
            .get();
    assertTrue(
        fromAlice > 0 && fromBob > 0,
        "both holders served: alice " + fromAlice + ", bob " + fromBob + " of " + chunks);
    assertTrue(fromAlice + fromBob >= chunks, fromAlice + " + " + fromBob + " of " + chunks);
    assertTrue(
        fromAlice + fromBob <= chunks + 64,
        "each chunk asked about once: " + (fromAlice + fromBob));
  }
}
