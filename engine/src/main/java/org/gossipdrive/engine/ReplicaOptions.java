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
 */
public record ReplicaOptions(
    DeviceId device,
    Chunker chunker,
    long inlineLimit,
    long cacheBytes,
    int workers,
    VersionSigner signer) {
  public static ReplicaOptions defaults(DeviceId device) {
    return new ReplicaOptions(
        device,
        new FastCdcChunker(ChunkingParams.DEFAULT),
        4L << 20,
        128L << 20,
        Runtime.getRuntime().availableProcessors(),
        VersionSigner.UNSIGNED);
  }

  /** Signs every version this device authors (the network layer passes the device key). */
  public ReplicaOptions withSigner(VersionSigner newSigner) {
    return new ReplicaOptions(device, chunker, inlineLimit, cacheBytes, workers, newSigner);
  }

  public ReplicaOptions withChunker(Chunker newChunker) {
    return new ReplicaOptions(device, newChunker, inlineLimit, cacheBytes, workers, signer);
  }

  public ReplicaOptions withInlineLimit(long newLimit) {
    return new ReplicaOptions(device, chunker, newLimit, cacheBytes, workers, signer);
  }

  public ReplicaOptions withCacheBytes(long newCache) {
    return new ReplicaOptions(device, chunker, inlineLimit, newCache, workers, signer);
  }
}
