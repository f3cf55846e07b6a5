package org.gossipdrive.net.sync;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.chunk.CorruptChunkException;
import org.gossipdrive.engine.chunk.EncodedChunk;
import org.gossipdrive.engine.hash.ChunkId;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.net.transport.Connection;
import org.gossipdrive.net.wire.proto.ChunkPush;
import org.gossipdrive.net.wire.proto.Frame;

/**
 * Sends the chunks of a big file to peers while the file is still being written, so that when its
 * record arrives at close the peers already hold most of it: a studio's 1 GiB render is on the
 * other machines moments after it is saved, not a full transfer later.
 *
 * <p>Best effort by design: chunks wait in a bounded queue (a slow link never slows the writer;
 * what does not fit is fetched the usual way once the record arrives), and a receiver keeps a
 * pushed chunk only after checking it against its id. Pushed chunks stay unreferenced until their
 * record arrives; an abandoned write leaves them to garbage collection.
 */
final class ChunkPusher implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ChunkPusher.class.getName());

  /** About 64 MiB of chunks waiting to be sent. */
  private static final int QUEUE = 64;

  private final Replica replica;
  private final Map<DeviceId, Connection> bulk;
  private final Consumer<DeviceId> onDamaged;
  private final BlockingQueue<EncodedChunk> queue = new ArrayBlockingQueue<>(QUEUE);
  private final Thread sender;
  private final java.util.concurrent.atomic.AtomicLong keptAhead =
      new java.util.concurrent.atomic.AtomicLong();

  ChunkPusher(Replica replica, Map<DeviceId, Connection> bulk, Consumer<DeviceId> onDamaged) {
    this.replica = replica;
    this.bulk = bulk;
    this.onDamaged = onDamaged;
    this.sender =
        Thread.ofPlatform().daemon(true).name("gossipdrive-chunk-push").start(this::sendLoop);
    replica.onChunkWrittenAhead(this::written);
  }

  /** A new chunk of a big local file was stored (on the writer's thread: never blocks). */
  private void written(EncodedChunk chunk) {
    if (!bulk.isEmpty() && !queue.offer(chunk)) {
      LOG.log(Level.DEBUG, "push queue full: chunk {0} will be fetched instead", chunk.id());
    }
  }

  private void sendLoop() {
    try {
      while (true) {
        EncodedChunk chunk = queue.take();
        Frame frame =
            Frame.newBuilder()
                .setChunkPush(
                    ChunkPush.newBuilder()
                        .setId(ByteString.copyFrom(chunk.id().toBytes()))
                        // The stored array is never changed after encoding: no copy needed.
                        .setStored(UnsafeByteOperations.unsafeWrap(chunk.stored())))
                .build();
        for (Connection connection : bulk.values()) {
          try {
            connection.send(frame);
          } catch (IOException e) {
            // the link dropped: the peer fetches the chunk when the record arrives
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A peer pushed a chunk (on its bulk lane's reader: the link waits while this stores it). */
  void received(Connection connection, ChunkPush push) {
    ChunkId id = ChunkId.of(push.getId().toByteArray());
    try {
      if (replica.storeChunkAhead(id, push.getStored().toByteArray())) {
        keptAhead.incrementAndGet();
      }
    } catch (CorruptChunkException e) {
      onDamaged.accept(connection.peer());
      LOG.log(
          Level.WARNING,
          "{0} pushed chunk {1} with bytes that do not match it; refused",
          connection.peer(),
          id);
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "could not keep chunk {0} pushed by {1}: {2}",
          id,
          connection.peer(),
          e.getMessage());
    }
  }

  /** Chunks peers pushed that this device did not hold yet and kept. */
  long keptAhead() {
    return keptAhead.get();
  }

  @Override
  public void close() {
    sender.interrupt();
  }
}
