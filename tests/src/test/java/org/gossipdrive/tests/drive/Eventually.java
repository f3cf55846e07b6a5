package org.gossipdrive.tests.drive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for what another process or device does, the one way every drive test does it. */
final class Eventually {
  private Eventually() {}

  /** Polls {@code condition} until it holds, or fails naming {@code what} after {@code limit}. */
  static void await(BooleanSupplier condition, Duration limit, String what)
      throws InterruptedException {
    await(condition, limit, Duration.ofMillis(50), what);
  }

  /** The same, polling every {@code every} (a condition that walks a whole tree is costly). */
  static void await(BooleanSupplier condition, Duration limit, Duration every, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(every.toMillis());
    }
  }

  /** The file's text, or null while it cannot be read (not there yet). */
  static String readOrNull(Path path) {
    try {
      return Files.readString(path);
    } catch (IOException e) {
      return null;
    }
  }
}
