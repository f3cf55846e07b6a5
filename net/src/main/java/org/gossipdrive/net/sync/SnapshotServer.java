package org.gossipdrive.net.sync;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.LongSupplier;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.net.transport.Connection;
import org.gossipdrive.net.wire.Protocol;
import org.gossipdrive.net.wire.proto.Frame;
import org.gossipdrive.net.wire.proto.SnapshotPart;
import org.gossipdrive.net.wire.proto.SnapshotRequest;

/**
 * Answers snapshot requests: writes the replica's current snapshot to a spool file (a local scan,
 * so the store is never held while a slow peer reads), then streams the file in parts on the
 * asker's bulk lane. Two at a time, so joiners cannot pile up full-tree scans.
 */
final class SnapshotServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(SnapshotServer.class.getName());

  private final Replica replica;
  private final LongSupplier ownPublished;
  private final Semaphore slots = new Semaphore(2);
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();

  /**
   * @param ownPublished this device's records sent so far (the rest are held back by the drive)
   */
  SnapshotServer(Replica replica, LongSupplier ownPublished) {
    this.replica = replica;
    this.ownPublished = ownPublished;
  }

  void requested(Connection connection, SnapshotRequest request) {
    workers.execute(() -> serve(connection, request.getRequestId()));
  }

  private void serve(Connection connection, long requestId) {
    if (!slots.tryAcquire()) {
      fail(connection, requestId, "busy serving other snapshots; ask again later");
      return;
    }
    Path file = null;
    try {
      file = replica.newSpoolFile("snapshot-out-");
      long started = System.nanoTime();
      Replica.SnapshotSummary summary;
      // A big tree takes a while to write out: the asker hears every few seconds that it is coming.
      Thread preparing =
          Thread.ofVirtual()
              .name("gossipdrive-snapshot-preparing")
              .start(() -> tellPreparing(connection, requestId));
      try {
        summary = replica.takeSnapshot(file, ownPublished.getAsLong());
      } finally {
        preparing.interrupt();
      }
      long total = Files.size(file);
      LOG.log(
          Level.INFO,
          "sending {0} a snapshot: {1} records, {2} bytes (written in {3} ms)",
          connection.peer(),
          summary.records(),
          total,
          (System.nanoTime() - started) / 1_000_000);
      try (InputStream in = Files.newInputStream(file)) {
        long offset = 0;
        byte[] buffer = new byte[Protocol.MAX_SNAPSHOT_PART];
        do {
          int read = in.readNBytes(buffer, 0, buffer.length);
          connection.send(
              Frame.newBuilder()
                  .setSnapshotPart(
                      SnapshotPart.newBuilder()
                          .setRequestId(requestId)
                          .setOffset(offset)
                          .setTotalBytes(total)
                          .setRecords(summary.records())
                          .setData(ByteString.copyFrom(buffer, 0, read)))
                  .build());
          offset += read;
        } while (offset < total);
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "could not send {0} a snapshot: {1}", connection.peer(), e.toString());
      fail(connection, requestId, "the snapshot could not be made: " + e.getMessage());
    } finally {
      slots.release();
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          // removed when the replica next opens
        }
      }
    }
  }

  static final long PREPARING_EVERY_MILLIS = 5_000;

  /** Until interrupted, sends an empty part (no size yet) every few seconds. */
  private static void tellPreparing(Connection connection, long requestId) {
    try {
      while (true) {
        Thread.sleep(PREPARING_EVERY_MILLIS);
        connection.send(
            Frame.newBuilder()
                .setSnapshotPart(SnapshotPart.newBuilder().setRequestId(requestId))
                .build());
      }
    } catch (InterruptedException | IOException e) {
      // the snapshot is ready, or the asker is gone
    }
  }

  private static void fail(Connection connection, long requestId, String why) {
    try {
      connection.send(
          Frame.newBuilder()
              .setSnapshotPart(
                  SnapshotPart.newBuilder()
                      .setRequestId(requestId)
                      .setError(why.length() > 200 ? why.substring(0, 200) : why))
              .build());
    } catch (IOException e) {
      // the asker notices the lane closing
    }
  }

  @Override
  public void close() {
    workers.shutdownNow();
  }
}
