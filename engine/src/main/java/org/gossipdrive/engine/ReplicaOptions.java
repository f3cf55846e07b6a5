package org.gossipdrive.engine;

import org.gossipdrive.engine.chunk.Chunker;
import org.gossipdrive.engine.chunk.ChunkingParams;
import org.gossipdrive.engine.chunk.FastCdcChunker;
import org.gossipdrive.engine.commit.VersionSigner;
import org.gossipdrive.engine.tree.DeviceId;

/**
 * How a replica is opened.
 *
 * @param inlineLimit new-chunk bytes per file up to which chunks ride in the commit's WAL batch;
 *     above it they are written once, straight to blob files
 * @param cacheBytes size of the verified-chunk read cache
 * @param workers threads that hash and compress chunks
 * @param signer signs the versions this device authors
 * @param deviceNames the human name of a device, for conflict-copy names
 */
public record ReplicaOptions(
    DeviceId device,
    Chunker chunker,
    long inlineLimit,
    long cacheBytes,
    int workers,
    VersionSigner signer,
    java.util.function.Function<DeviceId, String> deviceNames) {
  public static ReplicaOptions defaults(DeviceId device) {
    return new ReplicaOptions(
        device,
        new FastCdcChunker(ChunkingParams.DEFAULT),
        4L << 20,
        128L << 20,
        Runtime.getRuntime().availableProcessors(),
        VersionSigner.UNSIGNED,
        id -> id.value().split("-")[0]);
  }

  /** Names devices in conflict-copy names (the network layer passes the trusted set's names). */
  public ReplicaOptions withDeviceNames(java.util.function.Function<DeviceId, String> names) {
    return new ReplicaOptions(device, chunker, inlineLimit, cacheBytes, workers, signer, names);
  }

  /** Signs every version this device authors (the network layer passes the device key). */
  public ReplicaOptions withSigner(VersionSigner newSigner) {
    return new ReplicaOptions(
        device, chunker, inlineLimit, cacheBytes, workers, newSigner, deviceNames);
  }

  public ReplicaOptions withChunker(Chunker newChunker) {
    return new ReplicaOptions(
        device, newChunker, inlineLimit, cacheBytes, workers, signer, deviceNames);
  }

  public ReplicaOptions withInlineLimit(long newLimit) {
    return new ReplicaOptions(device, chunker, newLimit, cacheBytes, workers, signer, deviceNames);
  }

  public ReplicaOptions withCacheBytes(long newCache) {
    return new ReplicaOptions(device, chunker, inlineLimit, newCache, workers, signer, deviceNames);
  }
}
