package org.gossipdrive.fs.vfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.tree.FileId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new small file's close journals it and a thread commits it behind the app (ADR 36): the tree
 * gets it, and a stop before that commit loses nothing, because the next start commits the entry.
 * Real replicas on disk; the mount's own kill -9 test is DriveCrashTest.
 */
class CreationJournalTest {
  private static final Caller APP = new Caller(ProcessHandle.current().pid(), 1000, 1000);
  private static final OpenFlags WRITE = new OpenFlags(true, false, false);
  private static final OpenFlags WRITE_NEW = new OpenFlags(true, true, false);

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
    open.clear();
  }

  @Test
  void aClosedNewFileIsJournaledThenCommittedBehindTheApp() throws Exception {
    Replica replica = TestReplicas.open(dir, "BOB", open);
    DriveVfs vfs = vfs(replica);
    long handle = vfs.create(APP, "/note.txt", 0640, WRITE_NEW);
    write(vfs, handle, "closed and kept");
    vfs.flush(handle);
    assertEquals(1, entries(replica), "the close journaled nothing");
    assertTrue(replica.resolve("/note.txt").isEmpty(), "committed at the close after all");
    assertEquals(15, vfs.attributes("/note.txt").size(), "the name shows its content meanwhile");
    vfs.release(handle);
    vfs.commitAll(false);
    assertEquals(15, replica.resolve("/note.txt").orElseThrow().size());
    assertEquals(0640, replica.resolve("/note.txt").orElseThrow().mode());
    assertEquals("closed and kept", VfsText.read(vfs, APP, "/note.txt"));
    assertEquals(0, entries(replica), "a committed file's entry stays");
  }

  @Test
  void whatAStopLeftInTheJournalIsCommittedAtTheNextStart() throws Exception {
    List<AutoCloseable> first = new ArrayList<>();
    Replica replica = TestReplicas.open(dir, "BOB", first);
    DriveVfs vfs = vfs(replica);
    vfs.mkdir("/docs", 0755);
    long handle = vfs.create(APP, "/docs/draft.txt", 0600, WRITE_NEW);
    write(vfs, handle, "only in the journal");
    vfs.flush(handle);
    // Stopped before the commit: the handle is never released, the tree never gets the file.
    vfs.close();
    replica.close();
    assertTrue(first.remove(replica));

    Replica reopened = TestReplicas.open(dir, "BOB", open);
    assertEquals(1, entries(reopened));
    DriveVfs again = vfs(reopened);
    assertEquals(
        "only in the journal", VfsText.read(again, APP, "/docs/draft.txt"), "the close was lost");
    assertEquals(0600, reopened.resolve("/docs/draft.txt").orElseThrow().mode());
    assertEquals(0, entries(reopened));
  }

  @Test
  void anEntryWhoseFileWasCommittedIsDroppedNotCommittedAgain() throws Exception {
    List<AutoCloseable> first = new ArrayList<>();
    Replica replica = TestReplicas.open(dir, "BOB", first);
    DriveVfs vfs = vfs(replica);
    long handle = vfs.create(APP, "/once.txt", 0644, WRITE_NEW);
    write(vfs, handle, "one version");
    vfs.flush(handle);
    vfs.fsync(handle); // committed now; its entry is dropped only when the file closes
    long sequence = replica.resolve("/once.txt").orElseThrow().authorSequence();
    vfs.close();
    replica.close();

    Replica reopened = TestReplicas.open(dir, "BOB", open);
    vfs(reopened);
    assertEquals(sequence, reopened.resolve("/once.txt").orElseThrow().authorSequence());
    assertEquals(0, entries(reopened));
  }

  @Test
  void anUnreadableEntryIsKeptAndTheRestIsCommitted() throws Exception {
    List<AutoCloseable> first = new ArrayList<>();
    Replica replica = TestReplicas.open(dir, "BOB", first);
    FileId garbage = FileId.random();
    replica.closeJournal().put(garbage, "not an entry".getBytes(StandardCharsets.UTF_8));
    DriveVfs vfs = vfs(replica);
    long handle = vfs.create(APP, "/good.txt", 0644, WRITE_NEW);
    write(vfs, handle, "good");
    vfs.flush(handle);
    vfs.close();
    replica.close();

    Replica reopened = TestReplicas.open(dir, "BOB", open);
    DriveVfs again = vfs(reopened);
    assertEquals("good", VfsText.read(again, APP, "/good.txt"));
    List<FileId> left = new ArrayList<>();
    reopened.closeJournal().forEach((id, bytes) -> left.add(id));
    assertEquals(List.of(garbage), left, "an entry it cannot read must be kept, not dropped");
  }

  @Test
  void pastTheBacklogACloseCommitsAtOnce() throws Exception {
    Replica replica = TestReplicas.open(dir, "BOB", open);
    DriveVfs vfs = vfs(replica);
    // Flushed and kept open: none of them can be committed behind the app yet.
    for (int i = 0; i < CreationJournal.MAX_BACKLOG; i++) {
      long handle = vfs.create(APP, "/held-" + i, 0644, WRITE_NEW);
      write(vfs, handle, "x");
      vfs.flush(handle);
    }
    long handle = vfs.create(APP, "/one-more", 0644, WRITE_NEW);
    write(vfs, handle, "y");
    vfs.flush(handle);
    assertTrue(replica.resolve("/one-more").isPresent(), "the backlog grew past its bound");
    assertEquals(CreationJournal.MAX_BACKLOG, entries(replica));
  }

  @Test
  void reopeningAClosedNameNotCommittedYetOpensItsContent() throws Exception {
    Replica replica = TestReplicas.open(dir, "BOB", open);
    DriveVfs vfs = vfs(replica);
    long handle = vfs.create(APP, "/log", 0644, WRITE_NEW);
    write(vfs, handle, "first");
    vfs.flush(handle);
    vfs.release(handle);
    long again = vfs.create(APP, "/log", 0644, WRITE); // O_CREAT without O_EXCL
    byte[] more = "+more".getBytes(StandardCharsets.UTF_8);
    vfs.write(again, 5, more, more.length);
    vfs.flush(again);
    vfs.release(again);
    vfs.commitAll(false);
    assertEquals("first+more", VfsText.read(vfs, APP, "/log"));
  }

  @Test
  void anEntryDecodesToWhatWasEncodedAndGarbageToNothing() {
    var entry = new JournaledCreation(FileId.random(), "name é", 0640, 123L, new byte[] {1, 2, 3});
    var decoded = JournaledCreation.decode(entry.encode()).orElseThrow();
    assertEquals(entry.parent(), decoded.parent());
    assertEquals(entry.name(), decoded.name());
    assertEquals(0640, decoded.mode());
    assertEquals(123L, decoded.mtimeNanos());
    assertArrayEquals(entry.content(), decoded.content());
    byte[] bytes = entry.encode();
    assertEquals(
        Optional.empty(),
        JournaledCreation.decode(java.util.Arrays.copyOf(bytes, bytes.length - 1)));
    bytes[0] = 9;
    assertEquals(Optional.empty(), JournaledCreation.decode(bytes));
    assertEquals(Optional.empty(), JournaledCreation.decode(new byte[3]));
  }

  private DriveVfs vfs(Replica replica) throws Exception {
    DriveVfs vfs =
        new DriveVfs(
            replica,
            dir.resolve("staging"),
            DriveServices.standalone(replica.options().device(), "bob"));
    open.add(vfs);
    return vfs;
  }

  private static int entries(Replica replica) {
    int[] count = {0};
    replica.closeJournal().forEach((id, bytes) -> count[0]++);
    return count[0];
  }

  private static void write(DriveVfs vfs, long handle, String text) throws Exception {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    vfs.write(handle, 0, bytes, bytes.length);
  }
}
