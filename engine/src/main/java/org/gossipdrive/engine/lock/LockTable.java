package org.gossipdrive.engine.lock;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gossipdrive.engine.tree.DeviceId;

/**
 * One device's view of the locks of a drive, and its rules for answering claims:
 *
 * <ul>
 *   <li>a lock held by another device refuses every claim but that device's own;
 *   <li>a claim granted to one device is promised to it for a short while, until its holder
 *       confirms (announces the lock) or abandons it: no second claim is granted meanwhile;
 *   <li>between a claim of this device still in progress and a claim from elsewhere, the older one
 *       ({@link LockClaim} order) is granted; when that is the other one, this device's own claim
 *       is doomed and its acquire fails.
 * </ul>
 *
 * Thread-safe; every method is short and does no I/O.
 */
public final class LockTable {
  /** How long a grant waits for its holder's confirmation before it lapses. */
  public static final Duration PROMISE = Duration.ofSeconds(2);

  private final DeviceId self;
  private final Map<String, Lock> held = new HashMap<>();
  private final Map<String, Promise> promised = new HashMap<>();
  private final Map<String, Attempt> attempts = new HashMap<>();

  private record Promise(LockClaim claim, Instant until) {}

  /** An acquire of this device in progress; doomed once an older claim was granted meanwhile. */
  private static final class Attempt {
    final LockClaim claim;
    boolean doomed;

    Attempt(LockClaim claim) {
      this.claim = claim;
    }
  }

  public LockTable(DeviceId self) {
    this.self = self;
  }

  public DeviceId self() {
    return self;
  }

  /** Answers another device's claim, promising the lock to it when granted. */
  public synchronized Decision decide(String path, LockClaim claim, Instant now) {
    Decision blocking = blocking(path, claim, now);
    if (blocking != null) {
      return blocking;
    }
    Attempt mine = attempts.get(path);
    if (mine != null && !mine.claim.device().equals(claim.device())) {
      if (mine.claim.compareTo(claim) < 0) {
        return Decision.BUSY;
      }
      mine.doomed = true;
    }
    promised.put(path, new Promise(claim, now.plus(PROMISE)));
    return Decision.GRANTED;
  }

  /** Starts an acquire by this device: the local answer to its own claim. */
  public synchronized Decision begin(String path, LockClaim claim, Instant now) {
    Decision blocking = blocking(path, claim, now);
    if (blocking != null) {
      return blocking;
    }
    attempts.put(path, new Attempt(claim));
    return Decision.GRANTED;
  }

  /** Whether this device's acquire lost to an older claim it granted meanwhile. */
  public synchronized boolean doomed(String path, LockClaim claim) {
    Attempt mine = attempts.get(path);
    return mine == null || !mine.claim.equals(claim) || mine.doomed;
  }

  /** Ends this device's acquire: held when {@code lock} is given, abandoned otherwise. */
  public synchronized void finish(String path, LockClaim claim, Optional<Lock> lock) {
    Attempt mine = attempts.get(path);
    if (mine != null && mine.claim.equals(claim)) {
      attempts.remove(path);
    }
    lock.ifPresent(l -> held.put(path, l));
  }

  private Decision blocking(String path, LockClaim claim, Instant now) {
    Lock lock = live(path, now);
    if (lock != null && !lock.holder().equals(claim.device())) {
      return Decision.held(lock);
    }
    Promise promise = promised.get(path);
    if (promise != null) {
      if (promise.until().isBefore(now)) {
        promised.remove(path);
      } else if (!promise.claim().device().equals(claim.device())) {
        return Decision.BUSY;
      }
    }
    return null;
  }

  /**
   * Records a lock another device announced (a confirmation or a lease renewal). A promise made to
   * that claim is fulfilled. This device's own lock on the same path is kept: both devices took it
   * while apart, and conflict copies will settle their edits.
   */
  public synchronized void announced(Lock lock) {
    Promise promise = promised.get(lock.path());
    if (promise != null && promise.claim().device().equals(lock.holder())) {
      promised.remove(lock.path());
    }
    Lock current = held.get(lock.path());
    if (current != null && current.holder().equals(self) && !lock.holder().equals(self)) {
      return;
    }
    held.put(lock.path(), lock);
  }

  /**
   * Forgets what {@code holder} holds or was promised on {@code path}; returns whether a lock was
   * dropped.
   */
  public synchronized boolean released(String path, DeviceId holder) {
    Promise promise = promised.get(path);
    if (promise != null && promise.claim().device().equals(holder)) {
      promised.remove(path);
    }
    Lock lock = held.get(path);
    if (lock != null && lock.holder().equals(holder)) {
      held.remove(path);
      return true;
    }
    return false;
  }

  /** Drops {@code holder}'s locks that a complete announcement of theirs no longer lists. */
  public synchronized void retainAnnounced(DeviceId holder, java.util.Set<String> paths) {
    held.values().removeIf(l -> l.holder().equals(holder) && !paths.contains(l.path()));
  }

  /** The live lock on {@code path}, by any device. */
  public synchronized Optional<Lock> lock(String path, Instant now) {
    return Optional.ofNullable(live(path, now));
  }

  private Lock live(String path, Instant now) {
    Lock lock = held.get(path);
    if (lock != null && lock.expiredAt(now)) {
      held.remove(path);
      return null;
    }
    return lock;
  }

  /** Every live lock, by path. */
  public synchronized List<Lock> all(Instant now) {
    held.values().removeIf(l -> l.expiredAt(now));
    List<Lock> out = new ArrayList<>(held.values());
    out.sort(Comparator.comparing(Lock::path));
    return out;
  }

  /** This device's own locks. */
  public synchronized List<Lock> mine() {
    return held.values().stream()
        .filter(l -> l.holder().equals(self))
        .sorted(Comparator.comparing(Lock::path))
        .toList();
  }
}
