package org.gossipdrive.tests.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.ReplicaOptions;
import org.gossipdrive.engine.chunk.Chunker;
import org.gossipdrive.engine.chunk.ChunkingParams;
import org.gossipdrive.engine.chunk.FastCdcChunker;
import org.gossipdrive.engine.commit.CommitResult;
import org.gossipdrive.engine.hash.Blake3;
import org.gossipdrive.engine.hash.ChunkId;
import org.gossipdrive.engine.hash.Hashing;
import org.gossipdrive.engine.hash.JavaBlake3;
import org.gossipdrive.engine.read.VersionReader;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileVersion;
import org.gossipdrive.tests.data.ScratchDirs;
import org.gossipdrive.tests.data.SyntheticContent;

/**
 * Prints the engine's throughput figures on this machine (docs/benchmarks.md records them). Not a
 * test: nothing here asserts a speed.
 *
 * <p>Usage: {@code EngineBenchmark [--dir DIR] [--size-mib N]
 * [all|hash|ingest|read|small|chunking]}
 */
public final class EngineBenchmark {
  private static final long MIB = 1 << 20;

  private final Path dir;
  private final long size;

  private EngineBenchmark(Path dir, long size) {
    this.dir = dir;
    this.size = size;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(System.getProperty("user.dir"), "bench-data");
    long sizeMib = 1024;
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--dir" -> dir = Path.of(args[++i]);
        case "--size-mib" -> sizeMib = Long.parseLong(args[++i]);
        case "-h", "--help" -> {
          System.out.println(
              "usage: bench [--dir DIR] [--size-mib N] [all|hash|ingest|read|small|chunking]...");
          return;
        }
        default -> parts.add(args[i]);
      }
    }
    if (parts.isEmpty()) {
      parts.add("all");
    }
    EngineBenchmark bench = new EngineBenchmark(dir, sizeMib * MIB);
    Files.createDirectories(dir);
    System.out.printf(
        "GossipDrive engine benchmark: %s, %d cores, BLAKE3 = %s, data in %s%n",
        System.getProperty("java.vm.version"),
        Runtime.getRuntime().availableProcessors(),
        Hashing.blake3().name(),
        dir);
    try {
      for (String part : parts) {
        boolean all = part.equals("all");
        if (all || part.equals("hash")) bench.hashing();
        if (all || part.equals("chunking")) bench.chunking();
        if (all || part.equals("ingest")) bench.ingest();
        if (all || part.equals("read")) bench.randomReads();
        if (all || part.equals("small")) bench.smallFiles();
      }
    } finally {
      ScratchDirs.delete(dir.resolve("stores"));
    }
  }

  private static void print(String what, double value, String unit) {
    System.out.printf(Locale.ROOT, "  %-58s %10.1f %s%n", what, value, unit);
  }

  private static double mbPerSecond(long bytes, long nanos) {
    return bytes / 1e6 / (nanos / 1e9);
  }

  // ---- hashing --------------------------------------------------------------------------------

  private void hashing() throws Exception {
    System.out.println("BLAKE3 over " + size / MIB + " MiB in memory (1 MiB calls)");
    byte[] buffer = new byte[(int) Math.min(size, 256 * MIB)];
    SyntheticContent.fill(1, 0, buffer, 0, buffer.length, false);
    Blake3 best = Hashing.blake3();
    byte[] out = new byte[32];
    int piece = (int) MIB;
    for (int warm = 0; warm < 2; warm++) {
      hashAll(best, buffer, piece, out);
    }
    long start = System.nanoTime();
    long hashed = 0;
    while (hashed < size) {
      hashAll(best, buffer, piece, out);
      hashed += buffer.length;
    }
    print(best.name() + ", one thread", mbPerSecond(hashed, System.nanoTime() - start), "MB/s");

    int threads = Runtime.getRuntime().availableProcessors();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      start = System.nanoTime();
      List<CompletableFuture<Void>> all = new ArrayList<>();
      long perThread = size / threads;
      for (int t = 0; t < threads; t++) {
        all.add(
            CompletableFuture.runAsync(
                () -> {
                  byte[] o = new byte[32];
                  for (long done = 0; done < perThread; done += buffer.length) {
                    hashAll(best, buffer, piece, o);
                  }
                },
                pool));
      }
      all.forEach(CompletableFuture::join);
      print(
          best.name() + ", " + threads + " threads",
          mbPerSecond(perThread * threads, System.nanoTime() - start),
          "MB/s");
    }
    Blake3 pureJava = new JavaBlake3();
    hashAll(pureJava, buffer, piece, out);
    start = System.nanoTime();
    hashAll(pureJava, buffer, piece, out);
    print(
        "commons-codec (pure Java fallback), one thread",
        mbPerSecond(buffer.length, System.nanoTime() - start),
        "MB/s");
    java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
    sha.update(buffer);
    start = System.nanoTime();
    sha.update(buffer);
    sha.digest();
    print(
        "JDK SHA-256 for comparison, one thread",
        mbPerSecond(buffer.length, System.nanoTime() - start),
        "MB/s");
  }

  private static void hashAll(Blake3 blake3, byte[] buffer, int piece, byte[] out) {
    for (int offset = 0; offset < buffer.length; offset += piece) {
      blake3.hash(buffer, offset, Math.min(piece, buffer.length - offset), out, 0);
    }
  }

  // ---- chunking parameters --------------------------------------------------------------------

  private void chunking() {
    System.out.println(
        "FastCDC parameters on 512 MiB of random data: cut speed and a 4 MiB mid-file edit");
    int length = (int) (512 * MIB);
    byte[] original = new byte[length];
    SyntheticContent.fill(5, 0, original, 0, length, false);
    byte[] edited = original.clone();
    SyntheticContent.fill(6, 0, edited, length / 2, (int) (4 * MIB), false);
    int[][] candidates = {
      {16, 64, 256}, {64, 256, 1024}, {128, 512, 2048}, {256, 1024, 4096}, {512, 2048, 8192}
    };
    for (int[] kib : candidates) {
      Chunker chunker =
          new FastCdcChunker(new ChunkingParams(kib[0] << 10, kib[1] << 10, kib[2] << 10));
      cutLengths(chunker, original);
      long start = System.nanoTime();
      List<Integer> before = cutLengths(chunker, original);
      long nanos = System.nanoTime() - start;
      List<Integer> after = cutLengths(chunker, edited);
      long changed = changedBytes(before, original, after, edited);
      System.out.printf(
          Locale.ROOT,
          "  %-26s cut %7.0f MB/s, %6d chunks (avg %5.0f KiB), 4 MiB edit -> %5.2f MiB new%n",
          chunker.describe(),
          mbPerSecond(length, nanos),
          before.size(),
          length / 1024.0 / before.size(),
          changed / (double) MIB);
    }
  }

  private static List<Integer> cutLengths(Chunker chunker, byte[] data) {
    List<Integer> lengths = new ArrayList<>();
    for (int offset = 0; offset < data.length; ) {
      int n = chunker.cut(data, offset, data.length - offset);
      lengths.add(n);
      offset += n;
    }
    return lengths;
  }

  private static long changedBytes(
      List<Integer> before, byte[] original, List<Integer> after, byte[] edited) {
    Set<ChunkId> old = new HashSet<>();
    int offset = 0;
    for (int n : before) {
      old.add(ChunkId.hashOf(original, offset, n));
      offset += n;
    }
    long changed = 0;
    offset = 0;
    for (int n : after) {
      if (!old.contains(ChunkId.hashOf(edited, offset, n))) {
        changed += n;
      }
      offset += n;
    }
    return changed;
  }

  // ---- ingest ---------------------------------------------------------------------------------

  private Path sourceFile(String name, boolean compressible) throws IOException {
    Path file = dir.resolve(name);
    if (Files.exists(file) && Files.size(file) == size) {
      return file;
    }
    try (InputStream in =
            compressible
                ? SyntheticContent.compressible(9, size)
                : SyntheticContent.random(9, size);
        OutputStream out = Files.newOutputStream(file)) {
      in.transferTo(out);
    }
    return file;
  }

  private double dd() throws IOException, InterruptedException {
    Path target = dir.resolve("dd.tmp");
    long start = System.nanoTime();
    Process dd =
        new ProcessBuilder(
                "dd", "if=/dev/zero", "of=" + target, "bs=1M", "count=" + size / MIB, "conv=fsync")
            .redirectErrorStream(true)
            .start();
    dd.getInputStream().readAllBytes();
    dd.waitFor();
    long nanos = System.nanoTime() - start;
    Files.deleteIfExists(target);
    return mbPerSecond(size, nanos);
  }

  private void ingest() throws Exception {
    System.out.println(
        "Ingest (chunk + hash + compress + store, then one fsync) of a "
            + size / MIB
            + " MiB file");
    Path random = sourceFile("random.bin", false);
    Path text = sourceFile("compressible.bin", true);
    // Write back the generated sources first, or their dirty pages compete with the first round.
    new ProcessBuilder("sync").inheritIO().start().waitFor();
    // One unmeasured ingest first: the JIT compiles the chunking and commit paths, as it has in a
    // daemon that has been running for a minute.
    ingestOnce(random);
    int rounds = 3;
    double[] dds = new double[rounds];
    double[] randoms = new double[rounds];
    double[] texts = new double[rounds];
    for (int round = 0; round < rounds; round++) {
      dds[round] = dd();
      randoms[round] = ingestOnce(random);
      texts[round] = ingestOnce(text);
      System.out.printf(
          Locale.ROOT,
          "  round %d: dd %.0f MB/s, random file %.0f MB/s (%.0f%% of dd), compressible file %.0f MB/s%n",
          round + 1,
          dds[round],
          randoms[round],
          100 * randoms[round] / dds[round],
          texts[round]);
    }
    double dd = median(dds);
    print("median: dd if=/dev/zero bs=1M conv=fsync, same disk", dd, "MB/s");
    print(
        "median: random file (incompressible)",
        median(randoms),
        String.format(Locale.ROOT, "MB/s  = %.0f%% of dd", 100 * median(randoms) / dd));
    print("median: compressible file", median(texts), "MB/s");
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private double ingestOnce(Path file) throws IOException {
    Path storeDir = dir.resolve("stores").resolve("ingest");
    ScratchDirs.delete(storeDir);
    try (Replica replica = Replica.open(storeDir, ReplicaOptions.defaults(new DeviceId("BENCH")));
        InputStream in = Files.newInputStream(file, StandardOpenOption.READ)) {
      long start = System.nanoTime();
      replica.writeFile(FileId.ROOT, "big", in, 0644, true);
      return mbPerSecond(Files.size(file), System.nanoTime() - start);
    } finally {
      ScratchDirs.delete(storeDir);
    }
  }

  // ---- random reads ---------------------------------------------------------------------------

  private void randomReads() throws IOException {
    System.out.println("Random 64 KiB reads from a stored " + size / MIB + " MiB file");
    Path storeDir = dir.resolve("stores").resolve("read");
    ScratchDirs.delete(storeDir);
    Path random = sourceFile("random.bin", false);
    ReplicaOptions options = ReplicaOptions.defaults(new DeviceId("BENCH"));
    try (Replica replica = Replica.open(storeDir, options);
        InputStream in = Files.newInputStream(random)) {
      replica.writeFile(FileId.ROOT, "big", in, 0644, true);
    }
    for (long cache : new long[] {128 * MIB, 0}) {
      try (Replica replica = Replica.open(storeDir, options.withCacheBytes(cache))) {
        FileVersion file = replica.resolve("big").orElseThrow();
        VersionReader reader = replica.reader(file);
        SplittableRandom random2 = new SplittableRandom(3);
        byte[] buffer = new byte[64 << 10];
        int reads = 3000;
        long start = System.nanoTime();
        for (int i = 0; i < reads; i++) {
          long offset = random2.nextLong(file.size() - buffer.length);
          reader.read(offset, buffer, 0, buffer.length);
        }
        long nanos = System.nanoTime() - start;
        print(
            String.format(Locale.ROOT, "%d MiB chunk cache: reads/s", cache / MIB),
            reads / (nanos / 1e9),
            "reads/s");
        print(
            String.format(Locale.ROOT, "%d MiB chunk cache: throughput", cache / MIB),
            mbPerSecond((long) reads * buffer.length, nanos),
            "MB/s");
      }
      System.out.println("    (each miss reads and re-verifies a whole ~1 MiB chunk)");
    }
    ScratchDirs.delete(storeDir);
  }

  // ---- small files ----------------------------------------------------------------------------

  private void smallFiles() throws Exception {
    int count = 20_000;
    System.out.println(
        "Ingest of "
            + count
            + " small files (1-16 KiB), each commit durable (fsync'd), group commit");
    Path storeDir = dir.resolve("stores").resolve("small");
    ScratchDirs.delete(storeDir);
    SplittableRandom random = new SplittableRandom(11);
    byte[][] contents = new byte[count][];
    for (int i = 0; i < count; i++) {
      contents[i] = SyntheticContent.bytes(1000 + i, 1024 + random.nextInt(15 * 1024 + 1));
    }
    long bytes = Stream.of(contents).mapToLong(c -> c.length).sum();
    try (Replica replica = Replica.open(storeDir, ReplicaOptions.defaults(new DeviceId("BENCH")));
        ExecutorService writers = Executors.newFixedThreadPool(4)) {
      FileId folder = replica.mkdir(FileId.ROOT, "docs", 0755).only().id();
      Semaphore window = new Semaphore(512);
      List<CompletableFuture<CommitResult>> all = new ArrayList<>(count);
      long start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        int index = i;
        window.acquire();
        all.add(
            CompletableFuture.supplyAsync(
                    () -> {
                      try {
                        return replica.writeFileAsync(
                            folder,
                            "file-" + index + ".txt",
                            new java.io.ByteArrayInputStream(contents[index]),
                            0644,
                            true);
                      } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                      }
                    },
                    writers)
                .thenCompose(f -> f)
                .whenComplete((r, e) -> window.release()));
      }
      all.forEach(CompletableFuture::join);
      long nanos = System.nanoTime() - start;
      print("files/s", count / (nanos / 1e9), "files/s");
      print("payload rate", mbPerSecond(bytes, nanos), "MB/s");
    } finally {
      ScratchDirs.delete(storeDir);
    }
  }
}
