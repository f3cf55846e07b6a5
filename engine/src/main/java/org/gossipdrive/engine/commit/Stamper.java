package org.gossipdrive.engine.commit;

import java.util.Optional;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.engine.tree.FileVersion;
import org.gossipdrive.engine.tree.HybridClock;
import org.gossipdrive.engine.tree.VersionVector;

/** Marks a draft as this device's next edit of an entry: version vector, clock, author. */
public final class Stamper {
  private final DeviceId device;
  private final HybridClock clock;

  public Stamper(DeviceId device, HybridClock clock) {
    this.device = device;
    this.clock = clock;
  }

  public DeviceId device() {
    return device;
  }

  /** {@code draft} as a local edit descending from {@code previous}. */
  public FileVersion stamp(FileVersion draft, Optional<FileVersion> previous) {
    VersionVector base = previous.map(FileVersion::versionVector).orElse(VersionVector.EMPTY);
    return draft.stamped(base.increment(device), clock.now(), device);
  }
}
