package org.gossipdrive.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.gossipdrive.engine.commit.ApplyOutcome;
import org.gossipdrive.engine.commit.ChunkSource;
import org.gossipdrive.engine.hash.ChunkId;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileType;
import org.gossipdrive.engine.tree.FileVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's side of replication, without the network: replicas exchange signed records (here
 * unsigned; net/ checks signatures) in arbitrary orders and must end with identical trees, losing
 * no concurrent edit.
 */
class ReplicationTest {
  @TempDir Path dir;
  private final List<Replica> open = new ArrayList<>();

  @AfterEach
  void closeAll() {
    open.forEach(Replica::close);
  }

  private Replica replica(String name) {
    Replica replica =
        Replica.open(
            dir.resolve(name),
            ReplicaOptions.defaults(new DeviceId(name))
                .withDeviceNames(id -> id.value().toLowerCase()));
    open.add(replica);
    return replica;
  }

  /** Chunks come straight from the sending replica's store. */
  private static ChunkSource from(Replica sender) {
    return (ids, sink) -> {
      for (ChunkId id : ids) {
        sink.accept(id, sender.chunkStore().read(id));
      }
    };
  }

  /** Pulls every record {@code to} lacks from {@code from}; returns how many changed something. */
  private static int pull(Replica from, Replica to) throws IOException {
    Map<DeviceId, Long> have = to.digest();
    List<FileVersion> pending = new ArrayList<>();
    for (Map.Entry<DeviceId, Long> entry : from.digest().entrySet()) {
      pending.addAll(
          from.recordsAfter(entry.getKey(), have.getOrDefault(entry.getKey(), 0L), 100_000));
    }
    return applyAll(pending, from, to);
  }

  /** Applies records to {@code to}, retrying those whose parent came later in the list. */
  private static int applyAll(List<FileVersion> pending, Replica from, Replica to)
      throws IOException {
    int applied = 0;
    boolean progress = true;
    while (!pending.isEmpty() && progress) {
      progress = false;
      List<FileVersion> retry = new ArrayList<>();
      for (FileVersion record : pending) {
        ApplyOutcome outcome = to.applyRemote(record, from(from));
        if (outcome == ApplyOutcome.PARENT_MISSING) {
          retry.add(record);
        } else {
          progress = true;
          applied += outcome == ApplyOutcome.DUPLICATE ? 0 : 1;
        }
      }
      pending = retry;
    }
    assertTrue(pending.isEmpty(), "records whose parent never arrived: " + pending);
    return applied;
  }

  private static void syncAll(List<Replica> replicas) throws IOException {
    for (int round = 0; round < 10; round++) {
      int changed = 0;
      for (Replica a : replicas) {
        for (Replica b : replicas) {
          if (a != b) {
            changed += pull(a, b);
          }
        }
      }
      if (changed == 0) {
        return;
      }
    }
    throw new AssertionError("replicas did not quiesce");
  }

  /** path → type, content hash and mode, for comparing trees. */
  private static Map<String, String> snapshot(Replica replica) throws IOException {
    Map<String, String> tree = new TreeMap<>();
    walk(replica, FileId.ROOT, "", tree);
    return tree;
  }

  private static void walk(
      Replica replica, FileId directory, String prefix, Map<String, String> tree)
      throws IOException {
    for (FileVersion entry : replica.list(directory)) {
      String path = prefix + "/" + entry.name();
      String content = "";
      if (entry.type() == FileType.FILE) {
        try (var in = replica.stream(entry)) {
          content =
              HexFormat.of()
                  .formatHex(
                      java.security.MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
        } catch (java.security.NoSuchAlgorithmException e) {
          throw new IllegalStateException(e);
        }
      }
      tree.put(path, entry.type() + " " + Integer.toOctalString(entry.mode()) + " " + content);
      if (entry.isDirectory()) {
        walk(replica, entry.id(), path, tree);
      }
    }
  }

  private static FileVersion write(Replica replica, FileId parent, String name, String text)
      throws IOException {
    return replica
        .writeFile(parent, name, new ByteArrayInputStream(text.getBytes()), 0644, false)
        .only()
        .version();
  }

  private static String read(Replica replica, String path) throws IOException {
    try (var in = replica.stream(replica.resolve(path).orElseThrow())) {
      return new String(in.readAllBytes());
    }
  }

  @Test
  void concurrentEditsBothSurviveUnderTheSameNamesEverywhere() throws IOException {
    Replica alice = replica("ALICE");
    Replica bob = replica("BOB");
    write(alice, FileId.ROOT, "scene.blend", "base");
    syncAll(List.of(alice, bob));
    write(alice, FileId.ROOT, "scene.blend", "alice's lighting");
    write(bob, FileId.ROOT, "scene.blend", "bob's modelling");
    syncAll(List.of(alice, bob));
    assertEquals(snapshot(alice), snapshot(bob));
    Map<String, String> tree = snapshot(alice);
    assertEquals(2, tree.size(), tree.toString());
    List<String> contents = new ArrayList<>();
    for (String path : tree.keySet()) {
      contents.add(read(alice, path));
    }
    assertTrue(
        contents.contains("alice's lighting") && contents.contains("bob's modelling"),
        contents.toString());
    assertTrue(
        tree.keySet().stream()
            .anyMatch(
                p ->
                    p.matches(
                        "/scene \\(conflict (alice|bob) \\d{4}-\\d{2}-\\d{2} \\d{6}\\)\\.blend")),
        tree.toString());
    // a later edit of the winner descends from both and replaces it everywhere, the copy stays
    write(bob, FileId.ROOT, "scene.blend", "merged by hand");
    syncAll(List.of(alice, bob));
    assertEquals("merged by hand", read(alice, "scene.blend"));
    assertEquals(snapshot(alice), snapshot(bob));
    assertEquals(2, snapshot(alice).size());
  }

  @Test
  void anEditBeatsAConcurrentDelete() throws IOException {
    Replica alice = replica("ALICE");
    Replica bob = replica("BOB");
    FileVersion file = write(alice, FileId.ROOT, "notes.txt", "v1");
    syncAll(List.of(alice, bob));
    alice.delete(file.id());
    write(bob, FileId.ROOT, "notes.txt", "v2 from bob");
    syncAll(List.of(alice, bob));
    assertEquals("v2 from bob", read(alice, "notes.txt"));
    assertEquals(snapshot(alice), snapshot(bob));
  }

  @Test
  void twoNewFilesWithOneNameBothSurvive() throws IOException {
    Replica alice = replica("ALICE");
    Replica bob = replica("BOB");
    write(alice, FileId.ROOT, "todo.txt", "alice's list");
    write(bob, FileId.ROOT, "todo.txt", "bob's list");
    syncAll(List.of(alice, bob));
    assertEquals(snapshot(alice), snapshot(bob));
    assertEquals(2, snapshot(alice).size(), snapshot(alice).toString());
  }

  @Test
  void aTemporaryBeingWrittenHereKeepsItsNameWhateverTheArrivingFilesId() throws IOException {
    for (int attempt = 0; attempt < 8; attempt++) {
      Replica alice = replica("ALICE" + attempt);
      Replica bob = replica("BOB" + attempt);
      FileVersion bobs = write(bob, FileId.ROOT, "race.blend@", "bob's save in progress");
      bob.protectLocalWork(id -> id.equals(bobs.id()));
      write(alice, FileId.ROOT, "race.blend@", "alice's leftover");
      pull(alice, bob);
      // File ids are random: without the protection, half of these would move bob's file away.
      assertEquals(bobs.id(), bob.resolve("/race.blend@").orElseThrow().id(), "attempt " + attempt);
      assertEquals("bob's save in progress", read(bob, "race.blend@"));
      assertEquals(2, snapshot(bob).size(), snapshot(bob).toString());
    }
  }

  @Test
  void aPeersNewVersionOfAFileBeingWrittenHereIsAlsoKeptAsAConflictCopy() throws IOException {
    Replica alice = replica("ALICE");
    Replica bob = replica("BOB");
    FileVersion notes = write(alice, FileId.ROOT, "notes.txt", "v1");
    pull(alice, bob);
    bob.protectLocalWork(id -> id.equals(notes.id()));
    alice
        .replaceContentAsync(
            notes.id(), new ByteArrayInputStream("alice's v2".getBytes()), 1L, false)
        .join();
    pull(alice, bob);
    // Bob's app is writing notes.txt: its commit will replace alice's v2, which must survive.
    bob.replaceContentAsync(notes.id(), new ByteArrayInputStream("bob's v2".getBytes()), 2L, false)
        .join();
    syncAll(List.of(alice, bob));
    assertEquals(snapshot(alice), snapshot(bob));
    assertEquals("bob's v2", read(alice, "notes.txt"));
    Map<String, String> tree = snapshot(alice);
    String copy =
        tree.keySet().stream()
            .filter(p -> p.startsWith("/notes (conflict alice "))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no copy named after alice: " + tree));
    assertEquals("alice's v2", read(alice, copy.substring(1)));
  }

  @Test
  void aFileCreatedInADirectoryDeletedElsewhereRevivesTheDirectory() throws IOException {
    Replica alice = replica("ALICE");
    Replica bob = replica("BOB");
    FileId docs = alice.mkdir(FileId.ROOT, "docs", 0755).only().id();
    syncAll(List.of(alice, bob));
    alice.delete(docs);
    write(bob, docs, "new.txt", "made while alice deleted the folder");
    syncAll(List.of(alice, bob));
    assertEquals("made while alice deleted the folder", read(alice, "docs/new.txt"));
    assertEquals(snapshot(alice), snapshot(bob));
  }

  @Test
  void aChunkWhoseBytesDoNotMatchItsHashIsRefusedAndNothingChanges() throws IOException {
    Replica alice = replica("ALICE");
    Replica bob = replica("BOB");
    write(alice, FileId.ROOT, "photo.jpg", "the real picture");
    FileVersion record = alice.recordsAfter(new DeviceId("ALICE"), 0, 10).getLast();
    Map<String, String> before = snapshot(bob);
    ChunkSource lying =
        (ids, sink) -> ids.forEach(id -> sink.accept(id, "a fake picture!!".getBytes()));
    IOException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IOException.class, () -> bob.applyRemote(record, lying));
    assertTrue(e.getMessage().contains("damaged"), e.getMessage());
    assertEquals(before, snapshot(bob));
    assertEquals(
        0,
        bob.recordsAfter(new DeviceId("ALICE"), 0, 10).size(),
        "the record is not held, so it is asked for again");
    pull(alice, bob); // the honest source still works afterwards
    assertEquals("the real picture", read(bob, "photo.jpg"));
  }

  @Test
  void theDigestOnlyCountsRecordsHeldWithoutGaps() throws IOException {
    Replica alice = replica("ALICE");
    Replica bob = replica("BOB");
    write(alice, FileId.ROOT, "one.txt", "1");
    write(alice, FileId.ROOT, "two.txt", "2");
    DeviceId a = new DeviceId("ALICE");
    List<FileVersion> records = alice.recordsAfter(a, 0, 10);
    assertEquals(3, records.size(), "root, one, two");
    bob.applyRemote(records.get(2), from(alice));
    assertEquals(0L, bob.digest().getOrDefault(a, 0L), "#3 held, but #1 and #2 missing");
    bob.applyRemote(records.get(0), from(alice));
    assertEquals(1L, bob.digest().get(a));
    bob.applyRemote(records.get(1), from(alice));
    assertEquals(3L, bob.digest().get(a), "the gap closed");
    bob.close();
    open.remove(bob);
    assertEquals(3L, replica("BOB").digest().get(a), "the same after a restart");
  }

  @Test
  void recordsRelayedThroughAThirdReplicaApplyOnce() throws IOException {
    Replica alice = replica("ALICE");
    Replica bob = replica("BOB");
    Replica carol = replica("CAROL");
    write(alice, FileId.ROOT, "a.txt", "from alice");
    pull(alice, bob);
    pull(bob, carol); // carol gets alice's records through bob
    assertEquals("from alice", read(carol, "a.txt"));
    assertEquals(0, pull(alice, carol), "already held: nothing applied twice");
  }

  @Test
  void threeReplicasConvergeUnderRandomConcurrentWorkAndKeepEveryConcurrentEdit()
      throws IOException {
    for (long seed = 1; seed <= Long.getLong("gossipdrive.replication.seeds", 4); seed++) {
      closeAll();
      open.clear();
      dir = dir.resolve("seed" + seed);
      List<Replica> replicas = List.of(replica("ALICE"), replica("BOB"), replica("CAROL"));
      randomWork(replicas, new Random(seed), seed, 200);
      syncAll(replicas);
      Map<String, String> expected = snapshot(replicas.get(0));
      for (Replica replica : replicas) {
        Map<String, String> actual = snapshot(replica);
        assertEquals(
            expected, actual, "seed " + seed + ": trees differ: " + difference(expected, actual));
        assertTrue(replica.verify().ok(), () -> replica.verify().errors().toString());
      }
      assertEveryUndominatedEditIsPresent(replicas);
    }
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "seed {0}")
  @org.junit.jupiter.params.provider.ValueSource(longs = {11, 23, 37})
  void aReplicaJoiningFromASnapshotEndsIdenticalAndHoldsOnlyTheCurrentRecords(long seed)
      throws Exception {
    Replica alice = replica("ALICE");
    List<Replica> replicas = List.of(alice, replica("BOB"), replica("CAROL"));
    randomWork(replicas, new Random(seed), seed, 300);
    syncAll(replicas);

    Replica dave = replica("DAVE");
    long inSnapshot = joinFromSnapshot(alice, dave);
    assertEquals(snapshot(alice), snapshot(dave), difference(snapshot(alice), snapshot(dave)));
    assertEquals(alice.digest(), othersOf(dave), "the floor counts every record up to it as held");
    assertEquals(
        inSnapshot,
        recordsHeld(dave) - dave.digest().get(new DeviceId("DAVE")),
        "the snapshot's records, and what the joiner authored (its root)");
    assertTrue(
        inSnapshot < recordsHeld(alice),
        "superseded records stay out: " + inSnapshot + " of " + recordsHeld(alice));

    // Work goes on everywhere, the joiner included; records after the floor replay as usual.
    List<Replica> all = List.of(alice, replicas.get(1), replicas.get(2), dave);
    randomWork(all, new Random(seed + 1), seed + 1, 150);
    syncAll(all);
    for (Replica replica : all) {
      assertEquals(
          snapshot(alice), snapshot(replica), difference(snapshot(alice), snapshot(replica)));
      assertTrue(replica.verify().ok(), () -> replica.verify().errors().toString());
    }
    assertEveryUndominatedEditIsPresent(List.of(alice));

    // A snapshot taken from a replica that joined by one is as good.
    Replica erin = replica("ERIN");
    joinFromSnapshot(dave, erin);
    assertEquals(snapshot(alice), snapshot(erin));
    assertEquals(alice.digest(), othersOf(erin));

    // The floor survives a restart.
    Map<DeviceId, Long> floor = erin.snapshotFloor();
    erin.close();
    open.remove(erin);
    Replica reopened = replica("ERIN");
    assertEquals(floor, reopened.snapshotFloor());
    assertEquals(alice.digest(), othersOf(reopened));
  }

  /** A replica's digest without its own records (a new replica authors its root). */
  private static Map<DeviceId, Long> othersOf(Replica replica) {
    Map<DeviceId, Long> digest = new TreeMap<>(replica.digest());
    digest.remove(replica.options().device());
    return digest;
  }

  @Test
  void aSnapshotThatFailsItsChecksumIsRefusedWhole() throws Exception {
    Replica alice = replica("ALICE");
    for (int i = 0; i < 50; i++) {
      write(alice, FileId.ROOT, "f" + i + ".txt", "content " + i);
    }
    Path file = dir.resolve("alice.snapshot");
    assertEquals(51, alice.takeSnapshot(file, Long.MAX_VALUE).records(), "50 files and the root");
    byte[] good = java.nio.file.Files.readAllBytes(file);
    assertEquals(51, org.gossipdrive.engine.snapshot.SnapshotFile.open(file).records());

    byte[] flipped = good.clone();
    flipped[good.length / 2] ^= 1;
    java.nio.file.Files.write(file, flipped);
    var refused =
        org.junit.jupiter.api.Assertions.assertThrows(
            org.gossipdrive.engine.snapshot.CorruptSnapshotException.class,
            () -> org.gossipdrive.engine.snapshot.SnapshotFile.open(file));
    assertTrue(refused.getMessage().contains("checksum"), refused.getMessage());

    java.nio.file.Files.write(file, java.util.Arrays.copyOf(good, good.length - 100));
    org.junit.jupiter.api.Assertions.assertThrows(
        org.gossipdrive.engine.snapshot.CorruptSnapshotException.class,
        () -> org.gossipdrive.engine.snapshot.SnapshotFile.open(file));
  }

  @Test
  void anAdoptedFloorIsNeverBeyondWhatIsHeldNorAdvertisedBeyondIt() throws Exception {
    Replica alice = replica("ALICE");
    Replica bob = replica("BOB");
    for (int i = 0; i < 3; i++) {
      write(alice, FileId.ROOT, "f" + i + ".txt", "content " + i);
    }
    pull(alice, bob);
    DeviceId author = alice.options().device();
    long held = bob.digest().get(author);
    // What a floor of 2^63 - 1 taken on a sender's word did: nothing more was ever asked for.
    bob.adoptSnapshotFloor(Map.of(author, Long.MAX_VALUE));
    assertEquals(held, bob.snapshotFloor().get(author), "the floor stops at the highest held");
    assertEquals(held, bob.digest().get(author), "and so does what bob tells his peers");
  }

  /** Joins {@code joiner} from a snapshot of {@code source}; returns the records it held. */
  private long joinFromSnapshot(Replica source, Replica joiner) throws Exception {
    Path file = dir.resolve("snapshot-of-" + source.options().device() + "-" + System.nanoTime());
    long written = source.takeSnapshot(file, Long.MAX_VALUE).records();
    var snapshot = org.gossipdrive.engine.snapshot.SnapshotFile.open(file);
    assertEquals(written, snapshot.records());
    List<FileVersion> records = new ArrayList<>();
    snapshot.forEachBatch(
        100,
        batch -> {
          records.addAll(batch);
          return true;
        });
    java.util.Set<String> beyondFloor = new java.util.HashSet<>();
    for (FileVersion record : records) {
      if (record.authorSequence() > snapshot.floor().getOrDefault(record.author(), 0L)) {
        beyondFloor.add(record.author() + "#" + record.authorSequence());
      }
    }
    java.util.function.Predicate<FileVersion> seen =
        v ->
            v.authorSequence() <= snapshot.floor().getOrDefault(v.author(), 0L)
                || beyondFloor.contains(v.author() + "#" + v.authorSequence());
    List<FileVersion> pending = records;
    while (!pending.isEmpty()) {
      List<FileVersion> retry = new ArrayList<>();
      for (FileVersion record : pending) {
        if (joiner.applyRemoteAsync(record, from(source), seen).join()
            == ApplyOutcome.PARENT_MISSING) {
          retry.add(record);
        }
      }
      assertTrue(retry.size() < pending.size(), "records whose parent never arrived: " + retry);
      pending = retry;
    }
    joiner.adoptSnapshotFloor(snapshot.floor());
    return written;
  }

  private static long recordsHeld(Replica replica) {
    long held = 0;
    for (DeviceId author : replica.digest().keySet()) {
      held += replica.recordsAfter(author, 0, 1_000_000).size();
    }
    return held;
  }

  /** A seeded schedule of writes, edits, moves and deletes, with partial one-way syncs. */
  private void randomWork(List<Replica> replicas, Random random, long seed, int steps)
      throws IOException {
    for (int step = 0; step < steps; step++) {
      Replica replica = replicas.get(random.nextInt(replicas.size()));
      List<FileVersion> dirs = new ArrayList<>();
      List<FileVersion> files = new ArrayList<>();
      collect(replica, FileId.ROOT, dirs, files);
      FileId parent =
          dirs.isEmpty() || random.nextBoolean()
              ? FileId.ROOT
              : dirs.get(random.nextInt(dirs.size())).id();
      int action = random.nextInt(10);
      try {
        if (action < 4 || files.isEmpty()) {
          String text = "seed " + seed + " step " + step + " " + random.nextLong();
          write(replica, parent, "f" + random.nextInt(12) + ".txt", text);
        } else if (action < 5) {
          replica.mkdir(parent, "d" + random.nextInt(4), 0755);
        } else if (action < 7) {
          FileVersion target = files.get(random.nextInt(files.size()));
          String text = "edit " + seed + "/" + step + " " + random.nextLong();
          replica
              .replaceContentAsync(target.id(), new ByteArrayInputStream(text.getBytes()), 0, false)
              .join();
        } else if (action < 8) {
          FileVersion target = files.get(random.nextInt(files.size()));
          replica.move(target.id(), parent, "m" + random.nextInt(12) + ".txt", false);
        } else {
          replica.delete(files.get(random.nextInt(files.size())).id());
        }
      } catch (org.gossipdrive.engine.tree.TreeException refused) {
        // e.g. the name is taken: a user would see EEXIST; the schedule goes on
      }
      if (random.nextInt(8) == 0) {
        // a partial, one-way sync between two replicas, like a flaky link
        Replica from = replicas.get(random.nextInt(replicas.size()));
        Replica to = replicas.get(random.nextInt(replicas.size()));
        if (from != to) {
          pull(from, to);
        }
      }
    }
  }

  private static String difference(Map<String, String> a, Map<String, String> b) {
    StringBuilder out = new StringBuilder();
    for (String path :
        new java.util.TreeSet<>(java.util.Set.copyOf(concat(a.keySet(), b.keySet())))) {
      if (!java.util.Objects.equals(a.get(path), b.get(path))) {
        out.append("\n  ")
            .append(path)
            .append(": ")
            .append(a.get(path))
            .append(" vs ")
            .append(b.get(path));
      }
    }
    return out.toString();
  }

  private static List<String> concat(
      java.util.Collection<String> a, java.util.Collection<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static void collect(
      Replica replica, FileId directory, List<FileVersion> dirs, List<FileVersion> files) {
    for (FileVersion entry : replica.list(directory)) {
      if (entry.isDirectory()) {
        dirs.add(entry);
        collect(replica, entry.id(), dirs, files);
      } else {
        files.add(entry);
      }
    }
  }

  @Test
  void theAuditFindsAConcurrentEditThatNoFileShows() throws IOException {
    Replica alice = replica("ALICE");
    Replica bob = replica("BOB");
    write(alice, FileId.ROOT, "plan.txt", "base");
    pull(alice, bob);
    write(alice, FileId.ROOT, "plan.txt", "alice's edit");
    write(bob, FileId.ROOT, "plan.txt", "bob's edit");
    List<FileVersion> bobs = bob.recordsAfter(new DeviceId("BOB"), 0, 100);
    // Applied as if a snapshot's sender had already resolved the conflict: no copy is made here,
    // so the losing edit shows nowhere on alice.
    alice.applyRemoteAsync(bobs.getLast(), from(bob), v -> true).join();
    List<FileVersion> lost = org.gossipdrive.engine.maintenance.EditAudit.lostEdits(alice);
    assertEquals(1, lost.size(), lost.toString());
    // The ordinary path keeps it as a conflict copy.
    Replica carol = replica("CAROL");
    pull(alice, carol);
    pull(bob, carol);
    assertEquals(List.of(), org.gossipdrive.engine.maintenance.EditAudit.lostEdits(carol));
  }

  /**
   * No version that no other version supersedes may be missing: it is a file or a conflict copy.
   */
  private static void assertEveryUndominatedEditIsPresent(List<Replica> replicas) {
    for (Replica replica : replicas) {
      List<FileVersion> lost = org.gossipdrive.engine.maintenance.EditAudit.lostEdits(replica);
      assertTrue(
          lost.isEmpty(),
          "lost the content of " + lost.stream().map(v -> v.name() + " by " + v.author()).toList());
    }
  }
}
