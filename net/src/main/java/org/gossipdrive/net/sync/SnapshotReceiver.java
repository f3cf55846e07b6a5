package org.gossipdrive.net.sync;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.net.wire.proto.SnapshotPart;

/**
 * The one snapshot this device is fetching, if any: parts are appended in order to a spool file,
 * which is handed over whole once the last byte arrived. A part out of order, from another peer or
 * another request, or a peer silent for a minute ends the transfer and deletes the file.
 */
final class SnapshotReceiver {
  private static final System.Logger LOG = System.getLogger(SnapshotReceiver.class.getName());
  private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(60);
  private static final long RETRY_AFTER_NANOS = TimeUnit.SECONDS.toNanos(5);

  /** A complete file, to verify and apply. */
  record Arrived(DeviceId from, Path file, long records) {}

  private static final long DISTRUST_NANOS = TimeUnit.MINUTES.toNanos(10);

  private final Replica replica;
  private final java.util.Map<DeviceId, Long> distrustedAt = new java.util.HashMap<>();
  private Transfer current;
  private long lastEndedNanos = System.nanoTime() - RETRY_AFTER_NANOS;
  private long requestIds;

  private static final class Transfer {
    final DeviceId from;
    final long requestId;
    final Path file;
    final FileChannel channel;
    long total = -1;
    long received;
    long records;
    long applied;
    boolean applying;
    long lastPartNanos = System.nanoTime();

    Transfer(DeviceId from, long requestId, Path file, FileChannel channel) {
      this.from = from;
      this.requestId = requestId;
      this.file = file;
      this.channel = channel;
    }
  }

  SnapshotReceiver(Replica replica) {
    this.replica = replica;
  }

  /**
   * Starts a transfer from {@code from} unless one is under way or one ended a moment ago.
   *
   * @return the request id to send, or empty
   */
  synchronized Optional<Long> begin(DeviceId from) {
    Long distrusted = distrustedAt.get(from);
    if (current != null
        || System.nanoTime() - lastEndedNanos < RETRY_AFTER_NANOS
        || (distrusted != null && System.nanoTime() - distrusted < DISTRUST_NANOS)) {
      return Optional.empty();
    }
    try {
      Path file = replica.newSpoolFile("snapshot-in-");
      FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
      current = new Transfer(from, ++requestIds, file, channel);
      return Optional.of(current.requestId);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot receive a snapshot: {0}", e.getMessage());
      return Optional.empty();
    }
  }

  /** Takes one part; returns the whole file once its last part is in. */
  synchronized Optional<Arrived> part(DeviceId from, SnapshotPart part) {
    Transfer t = current;
    if (t == null || !t.from.equals(from) || t.requestId != part.getRequestId() || t.applying) {
      return Optional.empty(); // a late part of an abandoned transfer
    }
    if (!part.getError().isEmpty()) {
      abandon("the peer could not send it: " + part.getError());
      return Optional.empty();
    }
    if (t.total < 0 && part.getTotalBytes() == 0 && part.getData().isEmpty()) {
      t.lastPartNanos = System.nanoTime(); // still being written on the sender's side
      return Optional.empty();
    }
    if ((t.total >= 0 && (part.getTotalBytes() != t.total || part.getRecords() != t.records))
        || part.getOffset() != t.received) {
      abandon("a part arrived out of order");
      return Optional.empty();
    }
    t.total = part.getTotalBytes();
    t.records = part.getRecords();
    try {
      ByteBuffer data = part.getData().asReadOnlyByteBuffer();
      while (data.hasRemaining()) {
        t.channel.write(data);
      }
    } catch (IOException e) {
      abandon("cannot write it here: " + e.getMessage());
      return Optional.empty();
    }
    t.received += part.getData().size();
    t.lastPartNanos = System.nanoTime();
    if (t.received < t.total) {
      return Optional.empty();
    }
    try {
      t.channel.close();
    } catch (IOException e) {
      abandon("cannot write it here: " + e.getMessage());
      return Optional.empty();
    }
    t.applying = true;
    return Optional.of(new Arrived(t.from, t.file, t.records));
  }

  /**
   * A snapshot from {@code peer} failed its checksum or held a record that failed its checks: its
   * offers are ignored for ten minutes, so other peers get the chance to send a good one.
   */
  synchronized void distrust(DeviceId peer) {
    distrustedAt.put(peer, System.nanoTime());
  }

  /** Counts records applied from the arrived file (for progress). */
  synchronized void applied(long records) {
    if (current != null) {
      current.applied += records;
    }
  }

  /** The arrived file was applied, or refused: the transfer is over and its file removed. */
  synchronized void finished() {
    if (current != null) {
      end();
    }
  }

  synchronized void peerLost(DeviceId peer) {
    if (current != null && current.from.equals(peer) && !current.applying) {
      abandon("the connection to " + peer + " closed");
    }
  }

  /** Ends a transfer whose sender went quiet. */
  synchronized void checkStalled() {
    if (current != null
        && !current.applying
        && System.nanoTime() - current.lastPartNanos > STALL_NANOS) {
      abandon(current.from + " sent nothing for a minute");
    }
  }

  synchronized Optional<SnapshotProgress> progress() {
    Transfer t = current;
    return t == null
        ? Optional.empty()
        : Optional.of(
            new SnapshotProgress(t.from, t.received, Math.max(t.total, 0), t.applied, t.records));
  }

  private void abandon(String why) {
    LOG.log(Level.WARNING, "snapshot from {0} abandoned: {1}", current.from, why);
    end();
  }

  private void end() {
    try {
      current.channel.close();
      Files.deleteIfExists(current.file);
    } catch (IOException e) {
      // the spool is cleared when the replica next opens
    }
    current = null;
    lastEndedNanos = System.nanoTime();
  }
}
