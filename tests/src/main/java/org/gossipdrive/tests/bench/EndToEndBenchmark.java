package org.gossipdrive.tests.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.gossipdrive.tests.data.ScratchDirs;
import org.gossipdrive.tests.data.SyntheticContent;

/**
 * The replication workloads end to end, through the file system, for GossipDrive (two daemons in
 * separate processes, written through alice's mount, watched through bob's) and Syncthing (two
 * instances, the same workloads on their folders) in one run, with the ratios.
 *
 * <p>Each workload is timed the same way for both: from the end of the write (the file closed) to
 * the target folder showing the new content, polled every few milliseconds. "Wire" is the bytes
 * each tool reports for its connections (GossipDrive: application bytes over TLS; Syncthing: its
 * connection totals).
 */
public final class EndToEndBenchmark {
  private EndToEndBenchmark() {}

  /** One workload's outcome. */
  private record Figure(double seconds, double wireMib, String note) {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "bench-data/e2e").toAbsolutePath();
    long bigMib = args.length > 1 ? Long.parseLong(args[1]) : 1024;
    int smallFiles = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
    ScratchDirs.delete(dir);
    Files.createDirectories(dir);
    System.out.printf(
        "End-to-end replication, two peers on loopback: %d MiB file, %d small files%n",
        bigMib, smallFiles);
    Map<String, Map<String, Figure>> results = new LinkedHashMap<>();
    try {
      try (GossipDrivePair drive = new GossipDrivePair(dir.resolve("gd"))) {
        results.put(drive.name(), run(drive, bigMib, smallFiles));
      }
      var missing = SyncthingPair.unavailable();
      if (missing.isPresent()) {
        System.out.println("  Syncthing skipped: " + missing.get());
      } else {
        Files.createDirectories(dir.resolve("st"));
        try (SyncthingPair syncthing = SyncthingPair.start(dir.resolve("st"))) {
          System.out.println("  " + syncthing.version().lines().findFirst().orElse(""));
          results.put(syncthing.name(), run(syncthing, bigMib, smallFiles));
        }
      }
    } finally {
      ScratchDirs.delete(dir);
    }
    table(results);
  }

  private static Map<String, Figure> run(SyncPair pair, long bigMib, int smallFiles)
      throws Exception {
    System.out.println(pair.name() + ":");
    Map<String, Figure> figures = new LinkedHashMap<>();
    figures.put("big", bigFile(pair, bigMib));
    figures.put("edit", middleEdit(pair, bigMib));
    figures.put("small", smallFiles(pair, smallFiles, "small", 100));
    // Once more into another folder: the JVM's compiler has warmed up by now (Syncthing, compiled
    // ahead of time, has nothing to warm): the two rows show a fresh daemon and a running one.
    figures.put("again", smallFiles(pair, smallFiles, "again", 1_000_000));
    figures.put("delete", deletions(pair, smallFiles, Math.min(5_000, smallFiles / 2)));
    figures.put("byte", oneByteEdits(pair));
    return figures;
  }

  private static Figure bigFile(SyncPair pair, long mib) throws Exception {
    long size = mib << 20;
    long wire = pair.wireBytes();
    Path source = pair.source().resolve("big.bin");
    long writing = System.nanoTime();
    try (InputStream in = SyntheticContent.random(1, size);
        var out = Files.newOutputStream(source)) {
      in.transferTo(out);
    }
    long start = System.nanoTime();
    Path target = pair.target().resolve("big.bin");
    awaitTrue(() -> Files.size(target) == size, 1);
    long end = System.nanoTime();
    double seconds = (end - start) / 1e9;
    Figure figure =
        new Figure(
            seconds,
            (pair.wireBytes() - wire) / 1048576.0,
            same(source, target)
                + String.format(
                    Locale.ROOT,
                    ", writing took %.2f s, %.2f s end to end",
                    (start - writing) / 1e9,
                    (end - writing) / 1e9));
    print(pair, "one " + mib + " MiB random file, after the write", figure);
    return figure;
  }

  private static Figure middleEdit(SyncPair pair, long mib) throws Exception {
    long offset = (mib << 20) / 2;
    byte[] edit = SyntheticContent.bytes(99, 4 << 20);
    long wire = pair.wireBytes();
    try (RandomAccessFile file =
        new RandomAccessFile(pair.source().resolve("big.bin").toFile(), "rw")) {
      file.seek(offset);
      file.write(edit);
    }
    long start = System.nanoTime();
    Path target = pair.target().resolve("big.bin");
    awaitTrue(() -> Arrays.equals(edit, readAt(target, offset, edit.length)), 1);
    double seconds = (System.nanoTime() - start) / 1e9;
    Figure figure =
        new Figure(
            seconds,
            (pair.wireBytes() - wire) / 1048576.0,
            same(pair.source().resolve("big.bin"), target));
    print(pair, "4 MiB edit in the middle of it, after the write", figure);
    return figure;
  }

  private static Figure smallFiles(SyncPair pair, int count, String folder, int seeds)
      throws Exception {
    int directories = 200;
    SplittableRandom random = new SplittableRandom(seeds);
    long wire = pair.wireBytes();
    long start = System.nanoTime();
    for (int d = 0; d < directories; d++) {
      Files.createDirectories(pair.source().resolve(folder + "/dir" + d));
    }
    for (int i = 0; i < count; i++) {
      Files.write(
          pair.source().resolve(folder + "/dir" + (i % directories) + "/file" + i),
          SyntheticContent.bytes(seeds + i, 1024 + random.nextInt(15 * 1024 + 1)));
    }
    double written = (System.nanoTime() - start) / 1e9;
    // Each directory is listed until it holds all its files (names only: no stat per file).
    Map<Integer, Integer> pending = new LinkedHashMap<>();
    for (int d = 0; d < directories; d++) {
      pending.put(d, count / directories + (d < count % directories ? 1 : 0));
    }
    awaitTrue(
        () -> {
          pending
              .entrySet()
              .removeIf(
                  e ->
                      visibleFiles(pair.target().resolve(folder + "/dir" + e.getKey()))
                          >= e.getValue());
          return pending.isEmpty();
        },
        20);
    double seconds = (System.nanoTime() - start) / 1e9;
    String check = "ok";
    for (int i = 0; i < count; i += 97) {
      Path relative = Path.of(folder + "/dir" + (i % directories) + "/file" + i);
      if (!Arrays.equals(
          Files.readAllBytes(pair.source().resolve(relative)),
          Files.readAllBytes(pair.target().resolve(relative)))) {
        check = "CONTENT DIFFERS at " + relative;
        break;
      }
    }
    Figure figure =
        new Figure(
            seconds,
            (pair.wireBytes() - wire) / 1048576.0,
            check + String.format(Locale.ROOT, ", writing took %.2f s", written));
    print(
        pair,
        count
            + " files of 1-16 KiB in 200 directories"
            + (folder.equals("small") ? "" : ", again")
            + ", end to end",
        figure);
    return figure;
  }

  /**
   * Deletes the first {@code count} of the {@code total} files written into "small" (spread over
   * all its directories), timed from the first delete until every directory on the other side lists
   * only the files that remain.
   */
  private static Figure deletions(SyncPair pair, int total, int count) throws Exception {
    int directories = 200;
    long wire = pair.wireBytes();
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      Files.delete(pair.source().resolve("small/dir" + (i % directories) + "/file" + i));
    }
    double deleting = (System.nanoTime() - start) / 1e9;
    Map<Integer, Integer> remaining = new LinkedHashMap<>();
    for (int d = 0; d < directories; d++) {
      int written = total / directories + (d < total % directories ? 1 : 0);
      int deleted = count / directories + (d < count % directories ? 1 : 0);
      remaining.put(d, written - deleted);
    }
    awaitTrue(
        () -> {
          remaining
              .entrySet()
              .removeIf(
                  e ->
                      visibleFiles(pair.target().resolve("small/dir" + e.getKey()))
                          <= e.getValue());
          return remaining.isEmpty();
        },
        20);
    double seconds = (System.nanoTime() - start) / 1e9;
    String check = "ok";
    for (int i = 0; i < total; i += 97) {
      Path relative = Path.of("small/dir" + (i % directories) + "/file" + i);
      if (Files.exists(pair.target().resolve(relative)) != (i >= count)) {
        check = (i < count ? "NOT DELETED: " : "LOST: ") + relative;
        break;
      }
    }
    Figure figure =
        new Figure(
            seconds,
            (pair.wireBytes() - wire) / 1048576.0,
            check + String.format(Locale.ROOT, ", deleting took %.2f s", deleting));
    print(pair, "delete " + count + " of them, end to end", figure);
    return figure;
  }

  private static Figure oneByteEdits(SyncPair pair) throws Exception {
    Path source = pair.source().resolve("small.txt");
    Path target = pair.target().resolve("small.txt");
    byte[] content = SyntheticContent.bytes(5, 4096);
    Files.write(source, content);
    awaitTrue(() -> Files.exists(target) && Arrays.equals(content, Files.readAllBytes(target)), 20);
    long[] latencies = new long[20];
    for (int i = 0; i < latencies.length; i++) {
      byte value = (byte) ('a' + i);
      try (RandomAccessFile file = new RandomAccessFile(source.toFile(), "rw")) {
        file.seek(100);
        file.write(value);
      }
      long start = System.nanoTime();
      awaitTrue(() -> readAt(target, 100, 1)[0] == value, 1);
      latencies[i] = System.nanoTime() - start;
      Thread.sleep(200);
    }
    Arrays.sort(latencies);
    Figure figure =
        new Figure(
            latencies[latencies.length / 2] / 1e9,
            0,
            String.format(
                Locale.ROOT,
                "min %.1f ms, max %.1f ms",
                latencies[0] / 1e6,
                latencies[latencies.length - 1] / 1e6));
    print(pair, "1-byte edit of a small file, median of 20", figure);
    return figure;
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private interface Check {
    boolean holds() throws Exception;
  }

  /** Polls every {@code millis} ms until {@code check} holds (errors count as "not yet"). */
  private static void awaitTrue(Check check, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + 30L * 60 * 1_000_000_000L;
    while (true) {
      try {
        if (check.holds()) {
          return;
        }
      } catch (Exception e) {
        // not there yet
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("did not converge within 30 minutes");
      }
      Thread.sleep(millis);
    }
  }

  private static byte[] readAt(Path file, long offset, int length) throws IOException {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      byte[] bytes = new byte[length];
      in.seek(offset);
      in.readFully(bytes);
      return bytes;
    }
  }

  private static long visibleFiles(Path directory) {
    try (var names = Files.list(directory)) {
      return names.filter(p -> !p.getFileName().toString().startsWith(".")).count();
    } catch (IOException e) {
      return 0;
    }
  }

  /** "ok" when both files have the same SHA-256 (checked after timing). */
  private static String same(Path a, Path b) throws Exception {
    return digest(a).equals(digest(b)) ? "content ok" : "CONTENT DIFFERS";
  }

  private static String digest(Path file) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 20];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static void print(SyncPair pair, String what, Figure figure) {
    System.out.printf(
        Locale.ROOT,
        "  %-11s %-52s %9.3f s %9.1f MiB  %s%n",
        pair.name(),
        what,
        figure.seconds(),
        figure.wireMib(),
        figure.note());
  }

  private static void table(Map<String, Map<String, Figure>> results) {
    Map<String, String> names =
        Map.of(
            "big", "big file, after the write",
            "edit", "4 MiB edit, after the write",
            "small", "small files, end to end",
            "again", "small files again (warm), end to end",
            "delete", "deleting up to 5,000 of them, end to end",
            "byte", "1-byte edit, median");
    List<String> tools = new ArrayList<>(results.keySet());
    System.out.println();
    StringBuilder header = new StringBuilder("| workload |");
    tools.forEach(t -> header.append(' ').append(t).append(" |"));
    if (tools.size() == 2) {
      header.append(" Syncthing / GossipDrive |");
    }
    System.out.println(header);
    System.out.println("|---".repeat(tools.size() + (tools.size() == 2 ? 2 : 1)) + "|");
    for (String key : List.of("big", "edit", "small", "again", "delete", "byte")) {
      StringBuilder row = new StringBuilder("| " + names.get(key) + " |");
      for (String tool : tools) {
        Figure f = results.get(tool).get(key);
        row.append(
            String.format(
                Locale.ROOT,
                key.equals("byte") ? " %.1f ms |" : " %.2f s, %.1f MiB |",
                key.equals("byte") ? f.seconds() * 1000 : f.seconds(),
                f.wireMib()));
      }
      if (tools.size() == 2) {
        row.append(
            String.format(
                Locale.ROOT,
                " %.1fx |",
                results.get(tools.get(1)).get(key).seconds()
                    / results.get(tools.get(0)).get(key).seconds()));
      }
      System.out.println(row);
    }
  }
}
