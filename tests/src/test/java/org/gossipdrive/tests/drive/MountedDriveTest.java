package org.gossipdrive.tests.drive;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** One real mount for a whole test class, unmounted even when tests fail; a directory per test. */
abstract class MountedDriveTest {
  @TempDir static Path dir;
  static MountedReplica drive;

  @BeforeAll
  static void mount() throws Exception {
    drive = new MountedReplica(dir);
  }

  @AfterAll
  static void unmount() {
    if (drive != null) {
      drive.close();
      drive = null;
    }
  }

  static Path workspace(TestInfo test) throws Exception {
    Path place = drive.mountPoint.resolve(test.getTestMethod().orElseThrow().getName());
    Files.createDirectories(place);
    return place;
  }
}
