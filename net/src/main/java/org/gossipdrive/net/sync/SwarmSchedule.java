package org.gossipdrive.net.sync;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gossipdrive.engine.hash.ChunkId;
import org.gossipdrive.engine.tree.DeviceId;

/**
 * Which chunk each peer of a swarm asks for next. Every peer pulls from one shared queue as its
 * window frees up, so a faster peer serves more; a chunk a peer lacks (or sent damaged) goes back
 * to the front of the queue for the others, and is given up only when every peer was asked.
 */
final class SwarmSchedule {
  /** The peers still asking. */
  private final Set<DeviceId> active;

  private final Deque<ChunkId> queue;
  private final Map<ChunkId, Set<DeviceId>> asked = new HashMap<>();
  private final List<ChunkId> unavailable = new ArrayList<>();
  private int inFlight;

  SwarmSchedule(Set<DeviceId> swarm, List<ChunkId> ids) {
    this.active = new HashSet<>(swarm);
    this.queue = new ArrayDeque<>(ids);
  }

  /** The next chunk {@code peer} has not been asked for yet, or null if there is none now. */
  synchronized ChunkId next(DeviceId peer) {
    for (Iterator<ChunkId> it = queue.iterator(); it.hasNext(); ) {
      ChunkId id = it.next();
      Set<DeviceId> already = asked.computeIfAbsent(id, k -> new HashSet<>());
      if (already.add(peer)) {
        it.remove();
        inFlight++;
        return id;
      }
    }
    return null;
  }

  synchronized void delivered(ChunkId id) {
    inFlight--;
    asked.remove(id);
    notifyAll();
  }

  /** {@code peer} did not provide {@code id}: another peer gets it, if any is left to ask. */
  synchronized void notProvided(ChunkId id) {
    inFlight--;
    queue.addFirst(id);
    giveUpWhatNobodyLeftCanProvide();
    notifyAll();
  }

  /**
   * Waits until there is a chunk {@code peer} may ask for (true), or until nothing is queued or in
   * flight that could still become one (false: the peer is done).
   */
  synchronized boolean awaitWork(DeviceId peer) throws InterruptedException {
    while (true) {
      for (ChunkId id : queue) {
        if (!asked.getOrDefault(id, Set.of()).contains(peer)) {
          return true;
        }
      }
      if (inFlight == 0) {
        return false;
      }
      wait(50);
    }
  }

  /** The peer stops asking (lost, or lacking chunk after chunk): its share goes to the others. */
  synchronized void leave(DeviceId peer) {
    active.remove(peer);
    giveUpWhatNobodyLeftCanProvide();
    notifyAll();
  }

  private void giveUpWhatNobodyLeftCanProvide() {
    for (Iterator<ChunkId> it = queue.iterator(); it.hasNext(); ) {
      ChunkId id = it.next();
      if (asked.getOrDefault(id, Set.of()).containsAll(active)) {
        it.remove();
        unavailable.add(id);
        asked.remove(id);
      }
    }
  }

  /** Whether a peer other than {@code peer} is still asking (someone to take over its share). */
  synchronized boolean othersActive(DeviceId peer) {
    return active.stream().anyMatch(p -> !p.equals(peer));
  }

  /** What no peer provided, once every worker finished. */
  synchronized List<ChunkId> remaining() {
    List<ChunkId> out = new ArrayList<>(unavailable);
    out.addAll(queue);
    return out;
  }
}
