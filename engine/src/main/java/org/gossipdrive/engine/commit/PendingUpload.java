package org.gossipdrive.engine.commit;

import java.nio.charset.StandardCharsets;
import org.gossipdrive.engine.codec.Keys;

/**
 * Marks a file whose chunks are being written outside the WAL. The marker is logged before the
 * first chunk and removed in the commit's own batch; a marker found at open means a crash left
 * unreferenced chunks behind, and recovery sweeps them.
 */
public record PendingUpload(long id) {
  static final byte[] PREFIX = "upload/".getBytes(StandardCharsets.US_ASCII);

  public byte[] key() {
    return Keys.concat(PREFIX, Keys.u64(id));
  }

  public static byte[] prefix() {
    return PREFIX.clone();
  }
}
