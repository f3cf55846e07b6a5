package org.gossipdrive.fs.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.lock.Companions;
import org.gossipdrive.engine.lock.LocalLocks;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new file is one version at its first close (issue 14): until then it is only an open file here,
 * and every operation that needs its name in the tree commits it first.
 */
class PendingCreationsTest {
  private static final Caller APP = new Caller(ProcessHandle.current().pid(), 1000, 1000);
  private static final OpenFlags WRITE = new OpenFlags(true, false, false);
  private static final OpenFlags WRITE_NEW = new OpenFlags(true, true, false);

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private Replica replica;
  private DriveVfs vfs;

  @BeforeEach
  void openDrive() throws Exception {
    replica = TestReplicas.open(dir, "BOB", open);
    vfs =
        new DriveVfs(
            replica,
            dir.resolve("staging"),
            new DriveServices(
                new LocalLocks(replica.options().device(), "bob", Clock.systemUTC()),
                Companions.defaults(),
                PushHold.NONE,
                "bob",
                Duration.ofMinutes(10)));
    open.add(vfs);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  @Test
  void aNewFileIsOneVersionWithItsContentAtClose() throws Exception {
    long sequenceBefore = lastSequence();
    long handle = vfs.create(APP, "/new.txt", 0640, WRITE_NEW);
    write(handle, "small");
    assertTrue(replica.resolve("/new.txt").isEmpty(), "committed before its close");
    assertEquals(5, vfs.attributes("/new.txt").size(), "getattr shows the open file");
    assertEquals(0640, vfs.attributes("/new.txt").permissions());
    assertEquals(vfs.idAt("/new.txt"), java.util.Optional.of(vfs.attributes("/new.txt").id()));
    vfs.release(handle);
    FileVersion committed = replica.resolve("/new.txt").orElseThrow();
    assertEquals(sequenceBefore + 1, committed.authorSequence(), "more than one commit");
    assertEquals(5, committed.size());
    assertEquals("small", read("/new.txt"));
  }

  @Test
  void anEmptyFileCreatedAndClosedExists() throws Exception {
    vfs.release(vfs.create(APP, "/touched", 0644, WRITE_NEW));
    assertEquals(0, replica.resolve("/touched").orElseThrow().size());
  }

  @Test
  void exclusiveCreateOfAPendingNameIsRefusedAndAPlainOneSharesTheFile() throws Exception {
    long first = vfs.create(APP, "/shared.txt", 0644, WRITE_NEW);
    assertEquals(
        DriveException.Reason.EXISTS,
        assertThrows(DriveException.class, () -> vfs.create(APP, "/shared.txt", 0644, WRITE_NEW))
            .reason());
    long second = vfs.create(APP, "/shared.txt", 0644, WRITE);
    write(first, "ab");
    vfs.write(second, 2, "cd".getBytes(StandardCharsets.UTF_8), 2);
    vfs.release(first);
    vfs.release(second);
    assertEquals("abcd", read("/shared.txt"));
  }

  @Test
  void renamingListingAndRemovingSeeAFileNotClosedYet() throws Exception {
    vfs.mkdir("/d", 0755);
    long handle = vfs.create(APP, "/d/a.txt", 0644, WRITE_NEW);
    write(handle, "kept");
    assertEquals(List.of("a.txt"), vfs.list("/d"));
    assertEquals(
        DriveException.Reason.NOT_EMPTY,
        assertThrows(DriveException.class, () -> vfs.rmdir("/d")).reason());
    vfs.rename(APP, "/d/a.txt", "/d/b.txt");
    write(handle, "KEPT");
    vfs.release(handle);
    assertEquals("KEPT", read("/d/b.txt"));
    assertTrue(replica.resolve("/d/a.txt").isEmpty());
  }

  @Test
  void aFileNotClosedYetCanBeUnlinked() throws Exception {
    long handle = vfs.create(APP, "/gone.txt", 0644, WRITE_NEW);
    write(handle, "x");
    vfs.unlink(APP, "/gone.txt");
    assertEquals(
        DriveException.Reason.NOT_FOUND,
        assertThrows(DriveException.class, () -> vfs.attributes("/gone.txt")).reason());
    vfs.release(handle);
    assertTrue(replica.resolve("/gone.txt").isEmpty());
  }

  /** A name taken meanwhile by something that never saw the pending file: nothing is lost. */
  @Test
  void aNameTakenBeforeTheCloseLeavesBothVersions() throws Exception {
    long handle = vfs.create(APP, "/race.txt", 0644, WRITE_NEW);
    write(handle, "mine");
    replica.writeFile(
        FileId.ROOT,
        "race.txt",
        new ByteArrayInputStream("theirs".getBytes(StandardCharsets.UTF_8)),
        0644,
        false);
    vfs.release(handle);
    assertEquals("theirs", read("/race.txt"));
    List<String> names = vfs.list("/");
    String copy =
        names.stream().filter(n -> n.startsWith("race") && !n.equals("race.txt")).findFirst().get();
    assertEquals("mine", read("/" + copy));
  }

  /** The directory removed meanwhile (as a peer's delete would): the file goes to the root. */
  @Test
  void aDirectoryRemovedBeforeTheCloseLeavesTheFileInTheRoot() throws Exception {
    vfs.mkdir("/gone", 0755);
    long handle = vfs.create(APP, "/gone/orphan.txt", 0644, WRITE_NEW);
    write(handle, "saved");
    replica.delete(replica.resolve("/gone").orElseThrow().id());
    vfs.release(handle);
    String copy =
        vfs.list("/").stream().filter(n -> n.startsWith("orphan")).findFirst().orElseThrow();
    assertEquals("saved", read("/" + copy));
  }

  private long lastSequence() throws Exception {
    long handle = vfs.create(APP, "/probe-" + System.nanoTime(), 0644, WRITE_NEW);
    vfs.release(handle);
    return replica.list(FileId.ROOT).stream()
        .mapToLong(FileVersion::authorSequence)
        .max()
        .orElseThrow();
  }

  private void write(long handle, String text) throws Exception {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    vfs.write(handle, 0, bytes, bytes.length);
  }

  private String read(String path) throws Exception {
    return VfsText.read(vfs, APP, path);
  }
}
