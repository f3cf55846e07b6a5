package org.gossipdrive.tests.drive;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

/**
 * The engine's lost-work audit ({@code GET /api/audit}), asked of every device after a racing or
 * churn test: no version that nothing supersedes may be missing from every file.
 */
final class LostWork {
  private LostWork() {}

  static void assertNone(DaemonProcess... devices) throws IOException, InterruptedException {
    for (DaemonProcess device : devices) {
      String audit = device.api("GET", "/api/audit").body();
      assertTrue(audit.contains("\"lost\":[]"), device.mountPoint() + " lost work: " + audit);
    }
  }
}
