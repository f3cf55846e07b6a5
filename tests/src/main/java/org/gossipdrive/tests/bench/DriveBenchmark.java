package org.gossipdrive.tests.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.ReplicaOptions;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.fs.fuse.DriveMount;
import org.gossipdrive.platform.fuse.FusePlatform;
import org.gossipdrive.platform.fuse.StaleMounts;
import org.gossipdrive.tests.data.ScratchDirs;

/**
 * The mounted drive against the same disk directly, bindfs (a C FUSE passthrough) and a bare
 * passthrough on each binding (jnr-fuse, jfuse), all in one run with the same tools: dd for
 * sequential I/O, fio for random 4 KiB reads, a Python loop for small files, ls -lR for listing.
 *
 * <p>Usage: {@code DriveBenchmark [DIR] [SIZE_MIB] [SMALL_FILES]} (default bench-data/drive, 1024,
 * 10000). Needs root to drop the page cache between writing and reading; bindfs and fio are skipped
 * with a note when missing.
 */
public final class DriveBenchmark {
  private static final String[] ROWS = {
    "sequential write (MB/s)",
    "cold sequential read (MB/s)",
    "random 4K reads (IOPS)",
    "create + 4K write + close (files/s)",
    "ls -lR (entries/s)"
  };

  private final Path dir;
  private final long sizeMib;
  private final int smallFiles;
  private final Path source;

  private DriveBenchmark(Path dir, long sizeMib, int smallFiles) {
    this.dir = dir;
    this.sizeMib = sizeMib;
    this.smallFiles = smallFiles;
    this.source = Path.of("/dev/shm/gossipdrive-bench-source");
  }

  /** One place to measure: a directory, made ready and torn down by the target. */
  private interface Target extends AutoCloseable {
    String name();

    Path root();

    /** Forgets caches so the next read comes from the disk (and the store). */
    void coolDown() throws Exception;

    @Override
    void close() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "bench-data/drive").toAbsolutePath();
    long sizeMib = args.length > 1 ? Long.parseLong(args[1]) : 1024;
    int smallFiles = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
    new DriveBenchmark(dir, sizeMib, smallFiles).run();
  }

  private void run() throws Exception {
    // A run that died leaves its mounts behind; deleting through them would fail.
    for (String target :
        List.of("bindfs", "passthrough", "jfuse-passthrough", "drive", "drive-jfuse")) {
      Path mountPoint = dir.resolve(target);
      if (StaleMounts.isMounted(mountPoint)) {
        StaleMounts.unmount(mountPoint);
      }
    }
    ScratchDirs.delete(dir);
    Files.createDirectories(dir);
    System.out.printf(
        "Drive benchmark: %d MiB sequential file, %d small files, in %s (%s)%n",
        sizeMib, smallFiles, dir, System.getProperty("java.vm.version"));
    System.out.println(
        "mount options, jnr-fuse: " + String.join(" ", FusePlatform.current().mountOptions("x")));
    System.out.println(
        "mount options, jfuse: " + String.join(" ", DriveMount.jfuseMountOptions("x")));
    run("sh", "-c", "head -c " + (sizeMib << 20) + " /dev/urandom > " + source);
    Map<String, Map<String, Double>> results = new LinkedHashMap<>();
    try {
      results.put("disk", measure(disk()));
      if (available("bindfs")) {
        results.put("bindfs", measure(bindfs()));
      } else {
        System.out.println(
            "bindfs is not installed: its column is skipped (apt-get install bindfs)");
      }
      results.put("jnr-fuse passthrough", measure(passthrough()));
      results.put("jfuse passthrough", measure(jfusePassthrough()));
      results.put("GossipDrive (jnr-fuse)", measure(drive(DriveMount.Binding.JNR_FUSE)));
      results.put("GossipDrive (jfuse)", measure(drive(DriveMount.Binding.JFUSE)));
    } finally {
      Files.deleteIfExists(source);
    }
    print(results);
  }

  private Map<String, Double> measure(Target target) throws Exception {
    Map<String, Double> row = new LinkedHashMap<>();
    try (target) {
      System.out.println("-- " + target.name());
      Path big = target.root().resolve("big.bin");
      long bytes = sizeMib << 20;
      double seconds =
          timed("dd", "if=" + source, "of=" + big, "bs=1M", "conv=fsync", "status=none");
      row.put(ROWS[0], bytes / seconds / 1e6);
      target.coolDown();
      seconds = timed("dd", "if=" + big, "of=/dev/null", "bs=1M", "status=none");
      row.put(ROWS[1], bytes / seconds / 1e6);
      target.coolDown();
      row.put(ROWS[2], randomReads(big));
      Path small = target.root().resolve("small");
      row.put(ROWS[3], smallFiles(small));
      target.coolDown();
      seconds = timed("sh", "-c", "ls -lR " + small + " > /dev/null");
      row.put(ROWS[4], (smallFiles + 1) / seconds);
      row.forEach((k, v) -> System.out.printf("   %-38s %,12.0f%n", k, v));
    }
    return row;
  }

  private double randomReads(Path file) throws Exception {
    if (!available("fio")) {
      System.out.println("fio is not installed: random reads skipped (apt-get install fio)");
      return Double.NaN;
    }
    String json =
        output(
            "fio",
            "--name=random-4k",
            "--filename=" + file,
            "--rw=randread",
            "--bs=4k",
            "--ioengine=psync",
            "--runtime=10",
            "--time_based",
            "--output-format=json");
    Matcher iops = Pattern.compile("\"iops\"\\s*:\\s*([0-9.]+)").matcher(json);
    return iops.find() ? Double.parseDouble(iops.group(1)) : Double.NaN;
  }

  private double smallFiles(Path directory) throws Exception {
    Files.createDirectories(directory);
    String rate =
        output(
            "python3",
            "-c",
            """
            import os, sys, time
            d, n = sys.argv[1], int(sys.argv[2])
            data = os.urandom(4096)
            start = time.perf_counter()
            for i in range(n):
                fd = os.open(f"{d}/f{i:05}", os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o644)
                os.write(fd, data)
                os.close(fd)
            print(n / (time.perf_counter() - start))
            """,
            directory.toString(),
            Integer.toString(smallFiles));
    return Double.parseDouble(rate.strip());
  }

  // ---- targets ---------------------------------------------------------------------------------

  private Target disk() throws IOException {
    Path root = Files.createDirectories(dir.resolve("disk"));
    return simple("disk", root, () -> {});
  }

  private Target bindfs() throws Exception {
    Path source = Files.createDirectories(dir.resolve("bindfs-source"));
    Path root = Files.createDirectories(dir.resolve("bindfs"));
    // bindfs here links libfuse 2: without big_writes it would write 4 KiB at a time.
    run(
        "bindfs",
        "--no-allow-other",
        "-o",
        "big_writes,max_write=" + FusePlatform.MAX_IO + ",max_read=" + FusePlatform.MAX_IO,
        source.toString(),
        root.toString());
    return simple("bindfs", root, () -> StaleMounts.unmount(root));
  }

  private Target passthrough() throws Exception {
    Path source = Files.createDirectories(dir.resolve("passthrough-source"));
    Path root = Files.createDirectories(dir.resolve("passthrough"));
    PassthroughFs fs = new PassthroughFs(source);
    fs.mount(
        root,
        false,
        false,
        FusePlatform.current().mountOptions("passthrough").toArray(String[]::new));
    awaitMount(root);
    return simple(
        "jnr-fuse passthrough",
        root,
        () -> {
          fs.umount();
          StaleMounts.unmount(root);
        });
  }

  private Target jfusePassthrough() throws Exception {
    Path source = Files.createDirectories(dir.resolve("jfuse-passthrough-source"));
    Path root = Files.createDirectories(dir.resolve("jfuse-passthrough"));
    JfusePassthroughFs fs = JfusePassthroughFs.mount(source, root);
    awaitMount(root);
    return simple(
        "jfuse passthrough",
        root,
        () -> {
          fs.close();
          StaleMounts.unmount(root);
        });
  }

  private Target drive(DriveMount.Binding binding) throws Exception {
    String suffix = binding == DriveMount.Binding.JFUSE ? "-jfuse" : "";
    Path root = Files.createDirectories(dir.resolve("drive" + suffix));
    Path store = dir.resolve("drive-store" + suffix);
    return new Target() {
      Replica replica;
      DriveMount mount;

      {
        start();
      }

      void start() throws IOException {
        replica =
            Replica.open(
                store.resolve("replica"),
                DriveMount.options(ReplicaOptions.defaults(new DeviceId("BENCH"))));
        mount =
            DriveMount.mount(
                replica,
                root,
                store.resolve("staging"),
                "bench",
                org.gossipdrive.fs.vfs.DriveServices.standalone(
                    replica.options().device(), "bench"),
                binding);
      }

      @Override
      public String name() {
        return "GossipDrive (" + (binding == DriveMount.Binding.JFUSE ? "jfuse" : "jnr-fuse") + ")";
      }

      @Override
      public Path root() {
        return root;
      }

      /** A remount empties the drive's own chunk cache as well as the kernel's. */
      @Override
      public void coolDown() throws Exception {
        close();
        dropPageCache();
        start();
      }

      @Override
      public void close() {
        mount.close();
        replica.close();
      }
    };
  }

  private interface Teardown {
    void run() throws Exception;
  }

  private static Target simple(String name, Path root, Teardown teardown) {
    return new Target() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Path root() {
        return root;
      }

      @Override
      public void coolDown() throws Exception {
        dropPageCache();
      }

      @Override
      public void close() throws Exception {
        teardown.run();
      }
    };
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private static void awaitMount(Path root) throws InterruptedException {
    for (int i = 0; i < 500 && !StaleMounts.isMounted(root); i++) {
      Thread.sleep(10);
    }
  }

  private static void dropPageCache() throws Exception {
    run("sync");
    Path drop = Path.of("/proc/sys/vm/drop_caches");
    if (Files.isWritable(drop)) {
      Files.writeString(drop, "3\n");
    }
  }

  private static boolean available(String tool) throws Exception {
    return new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0;
  }

  private static double timed(String... command) throws Exception {
    long start = System.nanoTime();
    run(command);
    return (System.nanoTime() - start) / 1e9;
  }

  private static void run(String... command) throws Exception {
    output(command);
  }

  private static String output(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IOException(
          String.join(" ", command) + " failed: " + new String(out, StandardCharsets.UTF_8));
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  private static void print(Map<String, Map<String, Double>> results) {
    List<String> columns = new ArrayList<>(results.keySet());
    System.out.println();
    StringBuilder header = new StringBuilder(String.format("| %-36s |", ""));
    columns.forEach(c -> header.append(String.format(" %22s |", c)));
    header.append(" jfuse / jnr-fuse passthrough |");
    for (String drive : List.of("jnr-fuse", "jfuse")) {
      header.append(String.format(" %s / bindfs | %s / jnr-fuse |", drive, drive));
    }
    System.out.println(header);
    for (String row : ROWS) {
      StringBuilder line = new StringBuilder(String.format("| %-36s |", row));
      columns.forEach(c -> line.append(String.format(" %,22.0f |", results.get(c).get(row))));
      line.append(
          String.format(
              " %28.0f%% |",
              100
                  * results.get("jfuse passthrough").get(row)
                  / results.get("jnr-fuse passthrough").get(row)));
      for (String binding : List.of("jnr-fuse", "jfuse")) {
        double drive = results.get("GossipDrive (" + binding + ")").get(row);
        line.append(
            results.containsKey("bindfs")
                ? String.format(" %13.0f%% |", 100 * drive / results.get("bindfs").get(row))
                : "            - |");
        line.append(
            String.format(
                " %13.0f%% |", 100 * drive / results.get("GossipDrive (jnr-fuse)").get(row)));
      }
      System.out.println(line);
    }
  }
}
