package org.gossipdrive.engine.commit;

import java.util.Optional;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.engine.tree.FileVersion;
import org.gossipdrive.engine.tree.HybridClock;
import org.gossipdrive.engine.tree.VersionCodec;
import org.gossipdrive.engine.tree.VersionVector;

/**
 * Marks a draft as this device's next edit of an entry: version vector, clock, author, author
 * sequence, signature. Used only on the committer thread; a refused change gives its sequence
 * numbers back ({@link #rollback}), so the author's sequence has no gaps.
 */
public final class Stamper {
  private final DeviceId device;
  private final HybridClock clock;
  private final VersionSigner signer;
  private long lastSequence;

  public Stamper(DeviceId device, HybridClock clock, VersionSigner signer, long lastSequence) {
    this.device = device;
    this.clock = clock;
    this.signer = signer;
    this.lastSequence = lastSequence;
  }

  public DeviceId device() {
    return device;
  }

  /** {@code draft} as a local edit descending from {@code previous}, signed. */
  public FileVersion stamp(FileVersion draft, Optional<FileVersion> previous) {
    VersionVector base = previous.map(FileVersion::versionVector).orElse(VersionVector.EMPTY);
    FileVersion stamped =
        draft.stamped(base.increment(device), clock.now(), device, ++lastSequence);
    return stamped.withSignature(signer.sign(VersionCodec.signedBytes(stamped)));
  }

  long mark() {
    return lastSequence;
  }

  void rollback(long mark) {
    lastSequence = mark;
  }
}
