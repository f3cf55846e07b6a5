package org.gossipdrive.engine.conflict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileType;
import org.gossipdrive.engine.tree.FileVersion;
import org.gossipdrive.engine.tree.HybridTimestamp;
import org.gossipdrive.engine.tree.VersionVector;
import org.junit.jupiter.api.Test;

class ConflictRulesTest {
  private static final DeviceId ALICE = new DeviceId("ALICE");
  private static final DeviceId BOB = new DeviceId("BOB");
  private static final FileId ID = FileId.random();

  private static FileVersion version(
      VersionVector vv, long millis, DeviceId author, boolean deleted) {
    return new FileVersion(
        ID,
        FileId.ROOT,
        "scene.blend",
        FileType.FILE,
        deleted,
        0644,
        0,
        0,
        List.of(),
        "",
        new TreeMap<>(),
        vv,
        HybridTimestamp.of(millis, 0),
        author,
        millis,
        null);
  }

  private final VersionVector base = VersionVector.EMPTY.increment(ALICE);

  @Test
  void newerWinsWithoutConflict() {
    FileVersion old = version(base, 1, ALICE, false);
    FileVersion newer = version(base.increment(BOB), 2, BOB, false);
    assertEquals(Resolution.Outcome.TAKE_REMOTE, ConflictRules.resolve(old, newer).outcome());
    assertEquals(Resolution.Outcome.KEEP_LOCAL, ConflictRules.resolve(newer, old).outcome());
  }

  @Test
  void concurrentEditsResolveTheSameWayOnEveryPeer() {
    FileVersion a = version(base.increment(ALICE), 2000, ALICE, false);
    FileVersion b = version(base.increment(BOB), 1000, BOB, false);
    Resolution onAlice = ConflictRules.resolve(a, b);
    Resolution onBob = ConflictRules.resolve(b, a);
    assertEquals(Resolution.Outcome.CONFLICT, onAlice.outcome());
    assertEquals(b, onAlice.winner(), "earliest clock keeps the name");
    assertEquals(onAlice.winner(), onBob.winner());
    assertEquals(onAlice.conflictCopy(), onBob.conflictCopy());
    assertEquals(a, onAlice.conflictCopy().orElseThrow());
  }

  @Test
  void equalClocksFallBackToDeviceId() {
    FileVersion a = version(base.increment(ALICE), 1000, ALICE, false);
    FileVersion b = version(base.increment(BOB), 1000, BOB, false);
    assertEquals(a, ConflictRules.resolve(b, a).winner());
    assertEquals(a, ConflictRules.resolve(a, b).winner());
  }

  @Test
  void editBeatsDelete() {
    FileVersion edit = version(base.increment(ALICE), 5000, ALICE, false);
    FileVersion delete = version(base.increment(BOB), 1000, BOB, true);
    assertEquals(edit, ConflictRules.resolve(edit, delete).winner());
    assertEquals(edit, ConflictRules.resolve(delete, edit).winner());
    assertTrue(ConflictRules.resolve(delete, edit).conflictCopy().isEmpty());
  }

  @Test
  void conflictCopyNamesKeepTheExtension() {
    Instant when = Instant.parse("2026-11-21T13:04:05Z");
    assertEquals(
        "scene (conflict studio-pc 2026-11-21 130405).blend",
        ConflictNames.copyName("scene.blend", "studio-pc", when));
    assertEquals(
        "README (conflict bob 2026-11-21 130405)", ConflictNames.copyName("README", "bob", when));
    assertEquals(
        ".bashrc (conflict bob 2026-11-21 130405)", ConflictNames.copyName(".bashrc", "bob", when));
    assertEquals(
        "a.tar (conflict bob 2026-11-21 130405).gz",
        ConflictNames.copyName("a.tar.gz", "bob", when));
  }
}
