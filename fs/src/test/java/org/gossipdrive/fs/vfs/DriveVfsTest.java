package org.gossipdrive.fs.vfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.lock.AcquireResult;
import org.gossipdrive.engine.lock.Companions;
import org.gossipdrive.engine.lock.Lock;
import org.gossipdrive.engine.lock.Locks;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileType;
import org.gossipdrive.engine.tree.FileVersion;
import org.gossipdrive.engine.tree.HybridTimestamp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drive's semantics without a mount: a real replica on disk, the vfs called as an adapter
 * would, and locks another device holds set by hand.
 */
class DriveVfsTest {
  /** This test's own process stands for the app: locks belong to live processes. */
  private static final Caller APP = new Caller(ProcessHandle.current().pid(), 1000, 1000);

  private static final OpenFlags WRITE = new OpenFlags(true, false, false);
  private static final OpenFlags WRITE_NEW = new OpenFlags(true, true, false);
  private static final OpenFlags OVERWRITE = new OpenFlags(true, false, true);

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private Replica replica;
  private HeldLocks locks;
  private DriveVfs vfs;

  /** Locks where the test decides what other devices hold. */
  private static final class HeldLocks implements Locks {
    private final DeviceId self;
    final Map<String, Lock> held = new ConcurrentHashMap<>();
    final java.util.concurrent.atomic.AtomicInteger acquires =
        new java.util.concurrent.atomic.AtomicInteger();

    HeldLocks(DeviceId self) {
      this.self = self;
    }

    void heldBy(String path, String device) {
      held.put(
          path,
          new Lock(
              path,
              new DeviceId(device.toUpperCase()),
              device,
              new HybridTimestamp(1),
              Instant.now(),
              Instant.now().plusSeconds(60)));
    }

    @Override
    public DeviceId self() {
      return self;
    }

    @Override
    public AcquireResult acquire(String path) {
      acquires.incrementAndGet();
      Lock current = held.get(path);
      if (current != null && !current.holder().equals(self)) {
        return AcquireResult.heldBy(current);
      }
      Lock mine =
          new Lock(
              path,
              self,
              "me",
              new HybridTimestamp(1),
              Instant.now(),
              Instant.now().plusSeconds(60));
      held.put(path, mine);
      return AcquireResult.granted(mine);
    }

    @Override
    public void release(String path) {
      held.computeIfPresent(path, (p, l) -> l.holder().equals(self) ? null : l);
    }

    @Override
    public Optional<Lock> lock(String path) {
      return Optional.ofNullable(held.get(path));
    }

    @Override
    public List<Lock> all() {
      return List.copyOf(held.values());
    }
  }

  @BeforeEach
  void openDrive() throws Exception {
    replica = replica("BOB");
    locks = new HeldLocks(replica.options().device());
    vfs =
        new DriveVfs(
            replica,
            dir.resolve("staging"),
            new DriveServices(
                locks, Companions.defaults(), PushHold.NONE, "bob", Duration.ofMinutes(10)));
    open.add(vfs);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  private Replica replica(String device) {
    return TestReplicas.open(dir, device, open);
  }

  private void write(String path, String text) throws Exception {
    long handle = vfs.create(APP, path, 0644, OVERWRITE);
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    vfs.write(handle, 0, bytes, bytes.length);
    vfs.release(handle);
  }

  private String read(String path) throws Exception {
    return VfsText.read(vfs, APP, path);
  }

  private static DriveException.Reason refusal(ThrowingAction action) {
    return assertThrows(DriveException.class, action::run).reason();
  }

  @FunctionalInterface
  private interface ThrowingAction {
    void run() throws Exception;
  }

  @Test
  void aFileWrittenThroughAHandleIsOneVersionAtClose() throws Exception {
    write("/other.txt", "x");
    long before = replica.resolve("/other.txt").orElseThrow().authorSequence();
    long handle = vfs.create(APP, "/notes.txt", 0640, WRITE_NEW);
    vfs.write(handle, 0, "hello".getBytes(), 5);
    vfs.write(handle, 5, " world".getBytes(), 6);
    assertEquals(11, vfs.attributes("/notes.txt").size(), "staged size shows before the close");
    assertTrue(replica.resolve("/notes.txt").isEmpty(), "a new file waits for its close");
    vfs.release(handle);
    FileVersion committed = replica.resolve("/notes.txt").orElseThrow();
    assertEquals(
        before + 1, committed.authorSequence(), "one version for the creation and its content");
    assertEquals("hello world", read("/notes.txt"));
    Attributes attributes = vfs.attributes("/notes.txt");
    assertEquals(FileType.FILE, attributes.type());
    assertEquals(0640, attributes.permissions());
    assertEquals(1, attributes.linkCount());
  }

  @Test
  void exclusiveCreateOfAnExistingFileIsRefusedAndAPlainOneOpensIt() throws Exception {
    write("/a.txt", "first");
    assertEquals(
        DriveException.Reason.EXISTS, refusal(() -> vfs.create(APP, "/a.txt", 0644, WRITE_NEW)));
    long handle = vfs.create(APP, "/a.txt", 0644, WRITE);
    vfs.write(handle, 0, "F".getBytes(), 1);
    vfs.release(handle);
    assertEquals("First", read("/a.txt"));
  }

  /**
   * An open file looks its newest version up at most every 100 ms (decoding a big file's head on
   * every read cost three quarters of the read path); a change made here by path must still show
   * through its handle at once.
   */
  @Test
  void aChangeByPathShowsAtOnceThroughAnOpenHandle() throws Exception {
    write("/open.txt", "content");
    long handle = vfs.open(APP, "/open.txt", new OpenFlags(false, false, false));
    try {
      byte[] buffer = new byte[16];
      vfs.read("/open.txt", handle, 0, buffer, buffer.length);
      assertEquals(0644, vfs.attributes("/open.txt", handle).permissions());
      vfs.chmod("/open.txt", 0600);
      assertEquals(0600, vfs.attributes("/open.txt", handle).permissions());
      vfs.rename(APP, "/open.txt", "/moved.txt");
      vfs.chmod("/moved.txt", 0640);
      assertEquals(0640, vfs.attributes("/moved.txt", handle).permissions());
    } finally {
      vfs.release(handle);
    }
  }

  /** An acquire asks every connected peer; rm -rf of thousands of files must not (issue 14). */
  @Test
  void aPlainUnlinkAsksNoPeerButOneInsideASaveTakesTheDocumentsLock() throws Exception {
    write("/plain.txt", "x");
    write("/scene.blend", "v1");
    write("/theirs.txt", "kept");
    locks.heldBy("/theirs.txt", "alice");
    locks.acquires.set(0);

    vfs.unlink(APP, "/plain.txt");
    assertEquals(0, locks.acquires.get(), "a plain delete asked the peers for a lock");
    assertTrue(replica.resolve("/plain.txt").isEmpty());
    assertEquals(
        DriveException.Reason.LOCKED_ELSEWHERE, refusal(() -> vfs.unlink(APP, "/theirs.txt")));
    assertEquals("kept", read("/theirs.txt"));

    long temporary = vfs.create(APP, "/scene.blend@", 0644, WRITE_NEW);
    vfs.write(temporary, 0, "v2".getBytes(), 2);
    locks.acquires.set(0);
    vfs.unlink(APP, "/scene.blend");
    assertTrue(locks.acquires.get() > 0, "a save's unlink of its document took no lock");
    assertTrue(locks.lock("/scene.blend").isPresent());
    vfs.release(temporary);
  }

  @Test
  void anUnlinkedOpenFileStaysUsableThroughItsHandle() throws Exception {
    write("/gone.txt", "still here");
    long handle = vfs.open(APP, "/gone.txt", OpenFlags.READ);
    vfs.unlink(APP, "/gone.txt");
    assertEquals(DriveException.Reason.NOT_FOUND, refusal(() -> vfs.attributes("/gone.txt")));
    byte[] buffer = new byte[64];
    assertEquals(10, vfs.read(null, handle, 0, buffer, 64));
    assertEquals(10, vfs.attributes(null, handle).size());
    vfs.release(handle);
    assertEquals(
        DriveException.Reason.BAD_HANDLE, refusal(() -> vfs.read(null, handle, 0, buffer, 1)));
  }

  @Test
  void refusalsCarryTheirPosixReason() throws Exception {
    write("/file", "x");
    vfs.mkdir("/dir", 0755);
    assertEquals(DriveException.Reason.NOT_A_DIRECTORY, refusal(() -> vfs.rmdir("/file")));
    assertEquals(DriveException.Reason.IS_A_DIRECTORY, refusal(() -> vfs.unlink(APP, "/dir")));
    assertEquals(DriveException.Reason.NOT_A_DIRECTORY, refusal(() -> vfs.list("/file")));
    assertEquals(DriveException.Reason.EXISTS, refusal(() -> vfs.mkdir("/dir", 0755)));
    assertEquals(DriveException.Reason.NOT_PERMITTED, refusal(() -> vfs.mknod("/fifo", 0010644)));
    assertEquals(DriveException.Reason.NOT_PERMITTED, refusal(() -> vfs.link("/file", "/hard")));
    assertEquals(
        DriveException.Reason.NAME_TOO_LONG, refusal(() -> vfs.mkdir("/" + "n".repeat(300), 0755)));
    assertEquals(DriveException.Reason.INVALID, refusal(() -> vfs.readlink("/file")));
    assertEquals(DriveException.Reason.BUSY, refusal(() -> vfs.rmdir("/")));
    assertEquals(List.of("dir", "file"), vfs.list("/").stream().sorted().toList());
  }

  @Test
  void aDocumentHeldElsewhereShowsReadOnlyAndRefusesEveryChange() throws Exception {
    write("/scene.blend", "v1");
    locks.heldBy("/scene.blend", "alice");
    Attributes shown = vfs.attributes("/scene.blend");
    assertTrue(shown.readOnlyHere());
    assertEquals(0444, shown.permissions());
    assertTrue(vfs.readOnlyHere("/scene.blend@"), "its companions too");
    DriveException.Reason locked = DriveException.Reason.LOCKED_ELSEWHERE;
    assertEquals(locked, refusal(() -> vfs.open(APP, "/scene.blend", WRITE)));
    assertEquals(locked, refusal(() -> vfs.unlink(APP, "/scene.blend")));
    assertEquals(locked, refusal(() -> vfs.truncate(APP, "/scene.blend", 0)));
    assertEquals(locked, refusal(() -> vfs.chmod("/scene.blend", 0600)));
    assertEquals(locked, refusal(() -> vfs.setModified("/scene.blend", 1L)));
    assertEquals(
        locked, refusal(() -> vfs.setXattr("/scene.blend", "user.a", new byte[1], false, false)));
    // Blender here may still write its save's temporary: its data must land on disk.
    long handle = vfs.create(APP, "/scene.blend@", 0644, OVERWRITE);
    vfs.write(handle, 0, "B's work".getBytes(), 8);
    vfs.release(handle);
    assertEquals(locked, refusal(() -> vfs.rename(APP, "/scene.blend@", "/scene.blend")));
    assertEquals("v1", read("/scene.blend"));
    assertEquals("B's work", read("/scene.blend@"));
  }

  @Test
  void openingForWritingTakesTheLockForTheCallingProcess() throws Exception {
    write("/doc.odt", "v1");
    long handle = vfs.open(APP, "/doc.odt", WRITE);
    assertEquals(replica.options().device(), locks.lock("/doc.odt").orElseThrow().holder());
    assertEquals(List.of("pid " + APP.pid()), vfs.lockOwners("/doc.odt"));
    vfs.release(handle);
  }

  @Test
  void aSaveBasedOnAVersionTheAppNeverSawGoesToACopyNamedAfterThisDevice() throws Exception {
    Replica alice = replica("ALICE");
    FileVersion v1 =
        alice
            .writeFile(
                FileId.ROOT, "plan.txt", new ByteArrayInputStream("v1".getBytes()), 0644, false)
            .only()
            .version();
    applyFrom(alice, v1);
    assertEquals("v1", read("/plan.txt")); // the app here reads v1
    FileVersion v2 =
        alice
            .replaceContentAsync(
                v1.id(), new ByteArrayInputStream("alice's v2".getBytes()), 2L, false)
            .join()
            .only()
            .version();
    applyFrom(alice, v2);
    long handle = vfs.open(APP, "/plan.txt", OVERWRITE);
    vfs.write(handle, 0, "bob's edit of v1".getBytes(), 16);
    vfs.release(handle);
    assertEquals("alice's v2", read("/plan.txt"), "the newer version stays in place");
    List<String> copies =
        vfs.list("/").stream().filter(n -> n.startsWith("plan (conflict bob ")).toList();
    assertEquals(1, copies.size(), vfs.list("/").toString());
    assertEquals("bob's edit of v1", read("/" + copies.getFirst()));
    assertEquals("/plan.txt", vfs.staleSaves().getFirst().path());
  }

  @Test
  void aSaveRenamedOverAFileThatArrivedDuringItIsKeptBesideIt() throws Exception {
    // A new document saved on two devices at once: alice's arrives while this save is written.
    long handle = vfs.create(APP, "/race.blend@", 0644, OVERWRITE);
    vfs.write(handle, 0, "bob's save".getBytes(), 10);
    vfs.release(handle);
    Replica alice = replica("ALICE");
    applyFrom(
        alice,
        alice
            .writeFile(
                FileId.ROOT,
                "race.blend",
                new ByteArrayInputStream("alice's".getBytes()),
                0644,
                false)
            .only()
            .version());
    assertFalse(vfs.rename(APP, "/race.blend@", "/race.blend"), "kept beside, not as asked");
    assertEquals("alice's", read("/race.blend"), "alice's save is not replaced");
    List<String> copies =
        vfs.list("/").stream().filter(n -> n.startsWith("race (conflict bob ")).toList();
    assertEquals(1, copies.size(), vfs.list("/").toString());
    assertEquals("bob's save", read("/" + copies.getFirst()));
    assertEquals(2, vfs.list("/").size(), "no temporary left: " + vfs.list("/"));
  }

  @Test
  void aSaveRenamedOverAPeersFileNoAppHereReadIsKeptBesideIt() throws Exception {
    // Alice's new document arrived just before the app here began its own save of a new one.
    Replica alice = replica("ALICE");
    applyFrom(
        alice,
        alice
            .writeFile(
                FileId.ROOT,
                "race.blend",
                new ByteArrayInputStream("alice's".getBytes()),
                0644,
                false)
            .only()
            .version());
    long handle = vfs.create(APP, "/race.blend@", 0644, OVERWRITE);
    vfs.write(handle, 0, "bob's new".getBytes(), 9);
    vfs.release(handle);
    assertFalse(vfs.rename(APP, "/race.blend@", "/race.blend"), "kept beside, not as asked");
    assertEquals("alice's", read("/race.blend"));
    assertEquals(
        1, vfs.list("/").stream().filter(n -> n.startsWith("race (conflict bob ")).count());
    // Once an app here has read alice's version, a save over it is an ordinary save.
    handle = vfs.create(APP, "/race.blend@", 0644, OVERWRITE);
    vfs.write(handle, 0, "bob's edit of alice's".getBytes(), 21);
    vfs.release(handle);
    assertTrue(vfs.rename(APP, "/race.blend@", "/race.blend"), "an ordinary save");
    assertEquals("bob's edit of alice's", read("/race.blend"));
  }

  @Test
  void aSaveUnlinkingAPeersUnreadVersionBeforeItsRenameKeepsThatVersionAside() throws Exception {
    Replica alice = replica("ALICE");
    applyFrom(
        alice,
        alice
            .writeFile(
                FileId.ROOT,
                "race.blend",
                new ByteArrayInputStream("alice's".getBytes()),
                0644,
                false)
            .only()
            .version());
    // Blender 3.4: write X@, unlink X, rename X@ to X.
    long handle = vfs.create(APP, "/race.blend@", 0644, OVERWRITE);
    vfs.write(handle, 0, "bob's".getBytes(), 5);
    vfs.release(handle);
    vfs.unlink(APP, "/race.blend");
    assertTrue(vfs.rename(APP, "/race.blend@", "/race.blend"));
    assertEquals("bob's", read("/race.blend"));
    List<String> copies =
        vfs.list("/").stream().filter(n -> n.startsWith("race (conflict alice ")).toList();
    assertEquals(1, copies.size(), vfs.list("/").toString());
    assertEquals("alice's", read("/" + copies.getFirst()));
    // Without a save in progress, an unlink is an unlink.
    write("/plain.txt", "x");
    vfs.unlink(APP, "/plain.txt");
    assertEquals(DriveException.Reason.NOT_FOUND, refusal(() -> vfs.attributes("/plain.txt")));
  }

  @Test
  void userAttributesAreStoredAndTheLockAttributeIsComputed() throws Exception {
    write("/x", "x");
    vfs.setXattr("/x", "user.tag", "blue".getBytes(), true, false);
    assertArrayEquals("blue".getBytes(), vfs.getXattr("/x", "user.tag"));
    assertEquals(List.of("user.tag"), vfs.listXattrs("/x"));
    assertEquals(
        DriveException.Reason.EXISTS,
        refusal(() -> vfs.setXattr("/x", "user.tag", new byte[1], true, false)));
    assertEquals(
        DriveException.Reason.NO_ATTRIBUTE,
        refusal(() -> vfs.setXattr("/x", "user.new", new byte[1], false, true)));
    assertEquals(
        DriveException.Reason.NOT_SUPPORTED,
        refusal(() -> vfs.setXattr("/x", "trusted.a", new byte[1], false, false)));
    assertEquals(
        DriveException.Reason.NOT_PERMITTED,
        refusal(() -> vfs.setXattr("/x", "user.gossipdrive.lock", new byte[1], false, false)));
    assertEquals(
        DriveException.Reason.NO_ATTRIBUTE,
        refusal(() -> vfs.getXattr("/x", "security.capability")));
    assertEquals(
        DriveException.Reason.NO_ATTRIBUTE,
        refusal(() -> vfs.getXattr("/x", "user.gossipdrive.lock")));
    locks.heldBy("/x", "alice");
    assertTrue(new String(vfs.getXattr("/x", "user.gossipdrive.lock")).startsWith("alice since "));
    locks.held.clear();
    vfs.removeXattr("/x", "user.tag");
    assertEquals(List.of(), vfs.listXattrs("/x"));
  }

  private void applyFrom(Replica from, FileVersion record) throws Exception {
    replica.applyRemote(record, TestReplicas.from(from));
  }
}
