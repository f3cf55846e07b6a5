package org.gossipdrive.fs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class VerifyCommandTest {
  @Test
  void theProgressLineNamesThePhaseThenCountsChunks() {
    assertEquals("verify: checking the index...", VerifyCommand.progressLine("index", 0, 0, 0, 1));
    assertEquals(
        "verify  50% [############............] 1,000 of 2,000 chunks, 1000.0 MiB,"
            + " 100.0 MiB/s, 10 s left",
        VerifyCommand.progressLine("chunks", 1_000, 2_000, 1000L << 20, 10));
  }
}
