package org.gossipdrive.net.sync;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.gossipdrive.engine.commit.ChunkSource;
import org.gossipdrive.engine.hash.ChunkId;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.net.transport.Connection;
import org.gossipdrive.net.wire.proto.ChunkReply;
import org.gossipdrive.net.wire.proto.ChunkRequest;
import org.gossipdrive.net.wire.proto.Frame;

/**
 * Fetches chunks over peers' bulk lanes: many ids per request and several requests in flight; a
 * chunk one peer lacks is asked of the others. The engine re-hashes whatever arrives.
 */
final class ChunkFetcher {
  private static final System.Logger LOG = System.getLogger(ChunkFetcher.class.getName());

  private static final int IDS_PER_REQUEST = 4;

  /** Chunks requested and not yet received: 32 chunks of ~1 MiB keep a LAN link busy. */
  private static final int MAX_IN_FLIGHT = 32;

  private static final long TIMEOUT_SECONDS = 60;

  private final Map<DeviceId, Connection> bulk;
  private final Map<String, CompletableFuture<byte[]>> waiting = new ConcurrentHashMap<>();
  private final AtomicLong requestIds = new AtomicLong();
  private final Map<DeviceId, Long> damaged = new ConcurrentHashMap<>();

  ChunkFetcher(Map<DeviceId, Connection> bulk) {
    this.bulk = bulk;
  }

  private static String key(DeviceId peer, ByteString id) {
    return peer.value()
        + "/"
        + id.toStringUtf8().hashCode()
        + "/"
        + java.util.HexFormat.of().formatHex(id.toByteArray());
  }

  /** A source that asks {@code preferred} first, then every other connected peer. */
  ChunkSource from(DeviceId preferred) {
    return (ids, sink) -> {
      if (ids.isEmpty()) {
        return;
      }
      awaitBulkLane(preferred);
      List<ChunkId> remaining = new ArrayList<>(ids);
      List<DeviceId> peers = new ArrayList<>();
      peers.add(preferred);
      bulk.keySet().stream().filter(p -> !p.equals(preferred)).forEach(peers::add);
      for (DeviceId peer : peers) {
        if (remaining.isEmpty()) {
          break;
        }
        Connection connection = bulk.get(peer);
        if (connection != null) {
          remaining = fetchFrom(peer, connection, remaining, sink);
        }
      }
      if (!remaining.isEmpty()) {
        throw new IOException(
            remaining.size() + " chunks are not available from any connected peer");
      }
    };
  }

  /** Records arrive on the control lane, which opens first: give the bulk lane a moment. */
  void awaitBulkLane(DeviceId peer) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!bulk.containsKey(peer) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted");
      }
    }
  }

  /** Returns the ids this peer did not provide. */
  private List<ChunkId> fetchFrom(
      DeviceId peer, Connection connection, List<ChunkId> ids, ChunkSource.Sink sink)
      throws IOException {
    // A sliding window: a new request leaves as soon as the oldest one is answered, so the
    // sender never idles between windows (small chunks go several to a request).
    List<ChunkId> notProvided = new ArrayList<>();
    java.util.ArrayDeque<Map.Entry<ChunkId, CompletableFuture<byte[]>>> inFlight =
        new java.util.ArrayDeque<>();
    int index = 0;
    while (index < ids.size() || !inFlight.isEmpty()) {
      if (index < ids.size() && inFlight.size() < MAX_IN_FLIGHT) {
        ChunkRequest.Builder message =
            ChunkRequest.newBuilder().setRequestId(requestIds.incrementAndGet());
        for (int n = 0; n < IDS_PER_REQUEST && index < ids.size(); n++, index++) {
          ChunkId id = ids.get(index);
          ByteString bytes = ByteString.copyFrom(id.toBytes());
          inFlight.add(
              Map.entry(
                  id, waiting.computeIfAbsent(key(peer, bytes), k -> new CompletableFuture<>())));
          message.addIds(bytes);
        }
        connection.send(Frame.newBuilder().setChunkRequest(message).build());
        continue;
      }
      Map.Entry<ChunkId, CompletableFuture<byte[]>> oldest = inFlight.poll();
      try {
        byte[] data = oldest.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (data == null) {
          notProvided.add(oldest.getKey());
        } else if (!sink.accept(oldest.getKey(), data)) {
          // Not the chunk asked for: the peer is faulty (or its disk is); ask the next one.
          countDamaged(peer);
          LOG.log(
              System.Logger.Level.WARNING,
              "{0} sent chunk {1} with bytes that do not match its hash; refused, asking others",
              peer,
              oldest.getKey());
          notProvided.add(oldest.getKey());
        }
      } catch (ExecutionException | TimeoutException e) {
        notProvided.add(oldest.getKey());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while fetching chunks");
      } finally {
        waiting.remove(key(peer, ByteString.copyFrom(oldest.getKey().toBytes())));
      }
    }
    return notProvided;
  }

  /** Counts a chunk from {@code peer} refused because its bytes did not match its id. */
  void countDamaged(DeviceId peer) {
    damaged.merge(peer, 1L, Long::sum);
  }

  /** Per peer, chunks it sent that were refused as damaged. */
  Map<DeviceId, Long> damaged() {
    return Map.copyOf(damaged);
  }

  void reply(DeviceId peer, ChunkReply reply) {
    CompletableFuture<byte[]> future = waiting.get(key(peer, reply.getId()));
    if (future != null) {
      future.complete(reply.getMissing() ? null : reply.getData().toByteArray());
    }
  }

  void peerLost(DeviceId peer) {
    waiting.forEach(
        (key, future) -> {
          if (key.startsWith(peer.value() + "/")) {
            future.completeExceptionally(new IOException("peer " + peer + " disconnected"));
          }
        });
  }
}
