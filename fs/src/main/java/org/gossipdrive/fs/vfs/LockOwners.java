package org.gossipdrive.fs.vfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Which local processes own this device's locks. A lock taken through the drive lasts as long as
 * the process that took it (an editor keeps it across saves without keeping the file open); an
 * explicit lock ({@code gossipdrive lock}) until unlocked. Where processes cannot be seen (no
 * {@code /proc}), a lock lives until it has been idle for a while.
 */
final class LockOwners implements AutoCloseable {
  private static final Path PROC = Path.of("/proc");

  /**
   * Processes that live for a whole terminal session and write files only through redirections
   * ({@code echo x >> file}): owning a lock until they exit would lock the file for the session, so
   * their locks last only until the next check (a quarter second).
   */
  private static final Set<String> SHELLS =
      Set.of("bash", "sh", "dash", "zsh", "fish", "ksh", "mksh", "tcsh", "csh", "busybox");

  /**
   * Locks one process keeps after it stopped using them, newest first. A bulk writer (cp, rsync, a
   * build) touches thousands of files: holding them all until it exits would lock them for nothing
   * and swell every lock announcement. An editor keeps its few documents.
   */
  static final int KEPT_PER_PROCESS = 256;

  /** How long a thread's process is remembered: /proc is read once per thread, not per call. */
  private static final long PROCESS_CACHE_NANOS = 1_000_000_000L;

  private final Consumer<String> release;
  private final Duration idleRelease;
  private final Map<String, Owners> byPath = new HashMap<>();

  /** Per process, the paths it owns in order of last use (oldest first). */
  private final Map<Process, java.util.LinkedHashMap<String, Boolean>> byProcess = new HashMap<>();

  private record CachedProcess(Optional<Process> process, long atNanos) {}

  private final Map<Long, CachedProcess> threads = new java.util.concurrent.ConcurrentHashMap<>();
  private final ScheduledExecutorService checker;

  /** A process, told apart from a later one reusing its pid by its start time. */
  record Process(long pid, String startTime) {}

  private static final class Owners {
    final Set<Process> processes = new HashSet<>();
    boolean explicit;
    long lastUseNanos = System.nanoTime();
  }

  LockOwners(Consumer<String> release, Duration idleRelease) {
    this.release = release;
    this.idleRelease = idleRelease;
    this.checker =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon(true).name("gossipdrive-lock-owners").factory());
    checker.scheduleWithFixedDelay(this::releaseOrphans, 250, 250, TimeUnit.MILLISECONDS);
  }

  /**
   * Notes that the caller thread {@code tid} (as FUSE reports it) uses the lock on {@code path}.
   */
  void used(String path, long tid) {
    Optional<Process> process = cachedProcessOf(tid);
    List<String> dropped = new java.util.ArrayList<>();
    synchronized (this) {
      Owners owners = byPath.computeIfAbsent(path, p -> new Owners());
      owners.lastUseNanos = System.nanoTime();
      if (process.isPresent()) {
        owners.processes.add(process.get());
        var paths =
            byProcess.computeIfAbsent(
                process.get(), p -> new java.util.LinkedHashMap<>(16, 0.75f, true));
        paths.put(path, Boolean.TRUE);
        while (paths.size() > KEPT_PER_PROCESS) {
          String oldest = paths.keySet().iterator().next();
          paths.remove(oldest);
          Owners old = byPath.get(oldest);
          if (old != null) {
            old.processes.remove(process.get());
            if (old.processes.isEmpty() && !old.explicit) {
              byPath.remove(oldest);
              dropped.add(oldest);
            }
          }
        }
      }
    }
    dropped.forEach(release);
  }

  private Optional<Process> cachedProcessOf(long tid) {
    long now = System.nanoTime();
    CachedProcess cached = threads.get(tid);
    if (cached != null && now - cached.atNanos() < PROCESS_CACHE_NANOS) {
      return cached.process();
    }
    Optional<Process> process = processOf(tid);
    if (threads.size() > 10_000) {
      threads.clear();
    }
    threads.put(tid, new CachedProcess(process, now));
    return process;
  }

  synchronized void explicit(String path) {
    byPath.computeIfAbsent(path, p -> new Owners()).explicit = true;
  }

  synchronized void forget(String path) {
    Owners owners = byPath.remove(path);
    if (owners != null) {
      owners.processes.forEach(
          p -> {
            var paths = byProcess.get(p);
            if (paths != null) {
              paths.remove(path);
            }
          });
    }
  }

  /** Who owns the lock on {@code path} here: pids, or "explicit". */
  synchronized List<String> describe(String path) {
    Owners owners = byPath.get(path);
    if (owners == null) {
      return List.of();
    }
    List<String> out = new java.util.ArrayList<>();
    if (owners.explicit) {
      out.add("explicit");
    }
    owners.processes.forEach(p -> out.add("pid " + p.pid()));
    return out;
  }

  private void releaseOrphans() {
    List<String> orphaned = new java.util.ArrayList<>();
    synchronized (this) {
      long now = System.nanoTime();
      // One /proc read per process per sweep, however many paths it owns.
      Map<Process, Boolean> living = new HashMap<>();
      byProcess.keySet().removeIf(p -> !living.computeIfAbsent(p, LockOwners::alive));
      for (var entry : byPath.entrySet()) {
        Owners owners = entry.getValue();
        if (owners.explicit) {
          continue;
        }
        owners.processes.removeIf(p -> !living.computeIfAbsent(p, LockOwners::alive));
        boolean idle = now - owners.lastUseNanos > idleRelease.toNanos();
        if (owners.processes.isEmpty() && (Files.isDirectory(PROC) || idle)) {
          orphaned.add(entry.getKey());
        }
      }
      orphaned.forEach(byPath::remove);
    }
    orphaned.forEach(release);
  }

  /** The process a thread belongs to (FUSE reports thread ids). */
  static Optional<Process> processOf(long tid) {
    if (tid <= 0) {
      return Optional.empty();
    }
    try {
      long pid = tid;
      for (String line : Files.readAllLines(PROC.resolve(Long.toString(tid)).resolve("status"))) {
        if (line.startsWith("Tgid:")) {
          pid = Long.parseLong(line.substring(5).strip());
          break;
        }
      }
      long process = pid;
      String command = Files.readString(PROC.resolve(Long.toString(pid)).resolve("comm")).strip();
      if (SHELLS.contains(command)) {
        return Optional.empty();
      }
      return startTime(process).map(start -> new Process(process, start));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> startTime(long pid) {
    try {
      String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
      // Field 22; the command name (field 2) may hold spaces, so count after its closing paren.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Optional.of(fields[19]);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static boolean alive(Process process) {
    return startTime(process.pid()).map(process.startTime()::equals).orElse(false);
  }

  @Override
  public void close() {
    checker.shutdownNow();
  }
}
