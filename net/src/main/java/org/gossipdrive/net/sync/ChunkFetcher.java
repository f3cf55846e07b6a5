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

  /**
   * A source that spreads the chunks over {@code preferred} and the {@code holders} (peers known to
   * hold the records that need them) like a swarm, each with its own window of requests in flight;
   * what none of them provides is then asked of every other connected peer.
   */
  ChunkSource from(DeviceId preferred, java.util.Collection<DeviceId> holders) {
    return (ids, sink) -> {
      if (ids.isEmpty()) {
        return;
      }
      awaitBulkLane(preferred);
      java.util.LinkedHashSet<DeviceId> swarm = new java.util.LinkedHashSet<>();
      swarm.add(preferred);
      swarm.addAll(holders);
      swarm.retainAll(bulk.keySet());
      List<ChunkId> remaining = swarm.isEmpty() ? ids : fetchFromSwarm(swarm, ids, sink);
      java.util.LinkedHashSet<DeviceId> others = new java.util.LinkedHashSet<>(bulk.keySet());
      others.removeAll(swarm);
      if (!remaining.isEmpty() && !others.isEmpty()) {
        remaining = fetchFromSwarm(others, remaining, sink);
      }
      if (!remaining.isEmpty()) {
        throw new IOException(
            remaining.size() + " chunks are not available from any connected peer");
      }
    };
  }

  /** Asks {@code peers} for {@code ids} in parallel; returns the ids none of them provided. */
  private List<ChunkId> fetchFromSwarm(
      java.util.Set<DeviceId> peers, List<ChunkId> ids, ChunkSource.Sink sink) throws IOException {
    SwarmSchedule schedule = new SwarmSchedule(peers, ids);
    // A window no larger than a fair share, so the first peer to start does not take everything.
    int window = Math.min(MAX_IN_FLIGHT, Math.max(IDS_PER_REQUEST, ids.size() / peers.size()));
    if (peers.size() == 1) {
      try {
        askInTurn(peers.iterator().next(), schedule, sink, window);
      } catch (IOException e) {
        if (Thread.currentThread().isInterrupted()) {
          throw e;
        }
        // this peer is gone or silent: what it did not provide is asked of the others
      }
      return schedule.remaining();
    }
    List<Thread> workers = new ArrayList<>();
    for (DeviceId peer : peers) {
      workers.add(
          Thread.ofVirtual()
              .name("gossipdrive-fetch-" + peer)
              .start(
                  () -> {
                    try {
                      askInTurn(peer, schedule, sink, window);
                    } catch (IOException e) {
                      schedule.leave(peer);
                    }
                  }));
    }
    try {
      for (Thread worker : workers) {
        worker.join();
      }
    } catch (InterruptedException e) {
      workers.forEach(Thread::interrupt);
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching chunks");
    }
    return schedule.remaining();
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

  /** After this many chunks in a row it lacks, a peer stops asking: the others serve the rest. */
  private static final int MISSES_BEFORE_LEAVING = 8;

  /**
   * One peer's part of a swarm: a sliding window of requests, refilled from the shared schedule as
   * soon as the oldest is answered, so the sender never idles between windows (small chunks go
   * several to a request).
   */
  private void askInTurn(DeviceId peer, SwarmSchedule schedule, ChunkSource.Sink sink, int window)
      throws IOException {
    Connection connection = bulk.get(peer);
    if (connection == null) {
      schedule.leave(peer);
      return;
    }
    java.util.ArrayDeque<Map.Entry<ChunkId, CompletableFuture<byte[]>>> inFlight =
        new java.util.ArrayDeque<>();
    int missesInARow = 0;
    try {
      while (true) {
        boolean lacking = missesInARow >= MISSES_BEFORE_LEAVING && schedule.othersActive(peer);
        if (inFlight.size() < window && !lacking) {
          ChunkRequest.Builder message =
              ChunkRequest.newBuilder().setRequestId(requestIds.incrementAndGet());
          for (int n = 0; n < IDS_PER_REQUEST; n++) {
            ChunkId id = schedule.next(peer);
            if (id == null) {
              break;
            }
            ByteString bytes = ByteString.copyFrom(id.toBytes());
            inFlight.add(
                Map.entry(
                    id, waiting.computeIfAbsent(key(peer, bytes), k -> new CompletableFuture<>())));
            message.addIds(bytes);
          }
          if (message.getIdsCount() > 0) {
            connection.send(Frame.newBuilder().setChunkRequest(message).build());
            continue;
          }
        }
        if (inFlight.isEmpty()) {
          if (lacking || !schedule.awaitWork(peer)) {
            return;
          }
          continue;
        }
        Map.Entry<ChunkId, CompletableFuture<byte[]>> oldest = inFlight.poll();
        try {
          byte[] data = oldest.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
          if (data == null) {
            missesInARow++;
            schedule.notProvided(oldest.getKey());
          } else if (!sink.accept(oldest.getKey(), data)) {
            // Not the chunk asked for: the peer is faulty (or its disk is); ask the next one.
            countDamaged(peer);
            LOG.log(
                System.Logger.Level.WARNING,
                "{0} sent chunk {1} with bytes that do not match its hash; refused, asking others",
                peer,
                oldest.getKey());
            schedule.notProvided(oldest.getKey());
          } else {
            missesInARow = 0;
            schedule.delivered(oldest.getKey());
          }
        } catch (ExecutionException | TimeoutException e) {
          schedule.notProvided(oldest.getKey());
          throw new IOException("no answer from " + peer + ": " + e.getMessage());
        } finally {
          waiting.remove(key(peer, ByteString.copyFrom(oldest.getKey().toBytes())));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching chunks");
    } finally {
      // Whatever is still in flight goes back to the others.
      for (Map.Entry<ChunkId, CompletableFuture<byte[]>> left : inFlight) {
        waiting.remove(key(peer, ByteString.copyFrom(left.getKey().toBytes())));
        schedule.notProvided(left.getKey());
      }
      schedule.leave(peer);
    }
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
