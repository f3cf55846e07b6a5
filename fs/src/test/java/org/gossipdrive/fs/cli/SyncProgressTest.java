package org.gossipdrive.fs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SyncProgressTest {
  @Test
  void theLineShowsShareBarVolumeRateAndTimeLeft() {
    assertEquals(
        "initial sync  25% [######..................] 5,000 of 20,000 records, 40.0 MiB,"
            + " 4.0 MiB/s, 30 s left",
        SyncProgress.line(20_000, 15_000, 40L << 20, 10));
    assertEquals(
        "initial sync   0% [........................] 0 of 300 records, 0.0 MiB, 0.0 MiB/s, ? left",
        SyncProgress.line(300, 300, 0, 2));
    assertEquals(
        "initial sync  99% [########################] 9,999 of 10,000 records, 1.0 MiB,"
            + " 0.0 MiB/s, 1 s left",
        SyncProgress.line(10_000, 1, 1L << 20, 9_999));
    assertEquals(
        "initial sync  10% [##......................] 10,000 of 100,000 records, 0.0 MiB,"
            + " 0.0 MiB/s, 9h00m left",
        SyncProgress.line(100_000, 90_000, 0, 3_600));
  }

  @Test
  void aSnapshotJoinShowsItsDownloadThenItsEntries() {
    var peer = new org.gossipdrive.engine.tree.DeviceId("ALICE");
    assertEquals(
        "initial sync, snapshot download  50% [############............] 512 of 1,024 KiB,"
            + " 0.5 MiB, 0.5 MiB/s, 1 s left",
        SyncProgress.snapshotLine(
            new org.gossipdrive.net.sync.SnapshotProgress(peer, 512 << 10, 1 << 20, 0, 4_000),
            512 << 10,
            1));
    assertEquals(
        "initial sync, snapshot  25% [######..................] 1,000 of 4,000 entries applied,"
            + " 1.0 MiB, 0.5 MiB/s, 6 s left",
        SyncProgress.snapshotLine(
            new org.gossipdrive.net.sync.SnapshotProgress(peer, 1 << 20, 1 << 20, 1_000, 4_000),
            1 << 20,
            2));
  }
}
