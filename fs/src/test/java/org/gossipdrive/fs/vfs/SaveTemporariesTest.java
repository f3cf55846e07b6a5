package org.gossipdrive.fs.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.lock.Companions;
import org.gossipdrive.engine.lock.LocalLocks;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A save's temporary belongs to the device that made it (issue 20, ADR 0025): a failed save's
 * temporary becomes a recovery copy before peers see it, and a peer's temporary is never written
 * into. Real replicas on disk, no mount.
 */
class SaveTemporariesTest {
  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  /** Records, at each release, the names the tree shows: what peers would receive. */
  private static final class WatchingHold implements PushHold {
    final List<List<String>> namesAtRelease = new ArrayList<>();
    Replica replica;
    int held;

    @Override
    public synchronized void hold() {
      held++;
    }

    @Override
    public synchronized void release() {
      held--;
      namesAtRelease.add(names(replica));
    }
  }

  private Replica replica(String device) {
    return TestReplicas.open(dir, device, open);
  }

  private SaveTemporaries temporaries(Replica replica, PushHold hold, String deviceName) {
    DeviceId self = replica.options().device();
    DriveServices services =
        new DriveServices(
            new LocalLocks(self, deviceName, Clock.systemUTC()),
            Companions.defaults(),
            hold,
            deviceName,
            Duration.ofMinutes(10));
    SaveTemporaries temporaries =
        new SaveTemporaries(
            replica,
            services,
            new OpenFiles(replica, dir.resolve("staging")),
            Duration.ofMillis(300));
    open.add(temporaries);
    return temporaries;
  }

  private static FileVersion write(Replica replica, String name, String text) throws Exception {
    return replica
        .writeFile(FileId.ROOT, name, new ByteArrayInputStream(text.getBytes()), 0644, false)
        .only()
        .version();
  }

  private static List<String> names(Replica replica) {
    return replica.list(FileId.ROOT).stream()
        .filter(v -> !v.deleted())
        .map(FileVersion::name)
        .sorted()
        .toList();
  }

  @Test
  void aFailedSavesTemporaryBecomesARecoveryCopyBeforePeersSeeIt() throws Exception {
    Replica alice = replica("ALICE");
    WatchingHold hold = new WatchingHold();
    hold.replica = alice;
    SaveTemporaries temporaries = temporaries(alice, hold, "alice");
    FileVersion temporary = write(alice, "race.blend@", "the save Blender could not finish");
    temporaries.started(temporary.id());
    // Blender's backup rename was refused: the temporary is left alone.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (hold.namesAtRelease.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(1, hold.namesAtRelease.size(), "the hold ends once the temporary settled");
    List<String> shown = hold.namesAtRelease.getFirst();
    assertEquals(1, shown.size(), shown.toString());
    assertTrue(
        shown.getFirst().matches("race \\(unsaved alice \\d{4}-\\d\\d-\\d\\d \\d{6}\\)\\.blend"),
        "an openable recovery copy named after this device: " + shown);
    assertEquals(0, hold.held);
  }

  @Test
  void aPeersTemporaryIsSetAsideUnderItsDevicesNameNeverWrittenInto() throws Exception {
    Replica alice = replica("ALICE");
    Replica bob = replica("BOB");
    FileVersion alices = write(alice, "race.blend@", "alice's leftover");
    bob.applyRemote(alices, TestReplicas.from(alice));
    SaveTemporaries temporaries = temporaries(bob, PushHold.NONE, "bob");
    assertTrue(temporaries.setAsideIfPeers(bob.resolve("/race.blend@")));
    List<String> shown = names(bob);
    assertEquals(1, shown.size(), shown.toString());
    assertTrue(shown.getFirst().startsWith("race (unsaved alice "), shown.toString());
    assertEquals(alices.id(), bob.resolve("/" + shown.getFirst()).orElseThrow().id());

    FileVersion bobs = write(bob, "race.blend@", "bob's own");
    assertFalse(
        temporaries.setAsideIfPeers(Optional.of(bobs)), "this device's own temporary stays");
    assertFalse(temporaries.setAsideIfPeers(bob.resolve("/nothing@")));
  }
}
