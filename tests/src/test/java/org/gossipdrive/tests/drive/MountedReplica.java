package org.gossipdrive.tests.drive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.ReplicaOptions;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.fs.fuse.DriveMount;

/** A replica on disk mounted through real FUSE; closing unmounts, then closes the store. */
final class MountedReplica implements AutoCloseable {
  final Path root;
  final Path mountPoint;
  final DriveMount.Binding binding;
  Replica replica;
  DriveMount mount;

  MountedReplica(Path root) throws IOException {
    this(root, DriveMount.Binding.chosen());
  }

  MountedReplica(Path root, DriveMount.Binding binding) throws IOException {
    this.root = root;
    this.binding = binding;
    this.mountPoint = root.resolve("mnt");
    Files.createDirectories(mountPoint);
    start();
  }

  void start() throws IOException {
    replica =
        Replica.open(
            root.resolve("replica"),
            DriveMount.options(ReplicaOptions.defaults(new DeviceId("MOUNT-TEST"))));
    try {
      mount =
          DriveMount.mount(
              replica,
              mountPoint,
              root.resolve("staging"),
              "test",
              org.gossipdrive.fs.vfs.DriveServices.standalone(replica.options().device(), "test"),
              binding);
    } catch (RuntimeException | IOException e) {
      replica.close();
      throw e;
    }
  }

  /** Unmounts and closes, then mounts the same store again (what a restart does). */
  void remount() throws IOException {
    stop();
    start();
  }

  void stop() {
    try {
      if (mount != null) {
        mount.close();
      }
    } finally {
      mount = null;
      if (replica != null) {
        replica.close();
        replica = null;
      }
    }
  }

  @Override
  public void close() {
    stop();
  }
}
