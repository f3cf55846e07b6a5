package org.gossipdrive.tests.bench;

import java.nio.file.Path;

/** Two synced folders on this machine: what the end-to-end benchmark writes to and watches. */
interface SyncPair extends AutoCloseable {
  String name();

  /** Where the workload writes. */
  Path source();

  /** Where convergence is watched. */
  Path target();

  /** Bytes both sides have sent and received so far, as the tool counts them. */
  long wireBytes() throws Exception;

  @Override
  void close() throws Exception;
}
