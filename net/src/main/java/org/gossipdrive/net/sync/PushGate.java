package org.gossipdrive.net.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.gossipdrive.engine.tree.FileVersion;

/**
 * Holds back this device's records while an app is in the middle of a save, then publishes them as
 * one atomic batch, so peers never see the moment between "old version renamed aside" and "new
 * version renamed in", nor the save's temporary files.
 */
public final class PushGate {
  private final BiConsumer<List<FileVersion>, Boolean> publish;
  private final List<FileVersion> held = new ArrayList<>();
  private int holds;
  private long published;

  /**
   * @param publish receives records to send, and whether they make one atomic change
   * @param publishedSoFar the highest sequence of this device's records already out there (those
   *     written before this gate existed)
   */
  public PushGate(BiConsumer<List<FileVersion>, Boolean> publish, long publishedSoFar) {
    this.publish = publish;
    this.published = publishedSoFar;
  }

  /** Records the replica just authored: sent now, or kept while a hold is open. */
  public synchronized void authored(List<FileVersion> records) {
    if (holds > 0) {
      held.addAll(records);
    } else {
      publish.accept(records, false);
      noteSent(records);
    }
  }

  public synchronized void hold() {
    holds++;
  }

  /** Ends one hold; the last one publishes what was kept, as one atomic batch. */
  public synchronized void release() {
    if (holds == 0) {
      return;
    }
    holds--;
    if (holds == 0 && !held.isEmpty()) {
      List<FileVersion> batch = List.copyOf(held);
      held.clear();
      publish.accept(batch, true);
      noteSent(batch);
    }
  }

  private void noteSent(List<FileVersion> records) {
    for (FileVersion record : records) {
      published = Math.max(published, record.authorSequence());
    }
  }

  /**
   * The highest sequence of this device's records that anti-entropy may send: those held back, and
   * those just committed and not yet handed to this gate, are not published yet.
   */
  public synchronized long published() {
    return published;
  }
}
