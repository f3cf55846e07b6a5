package org.gossipdrive.tests.drive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gossipdrive.fs.cli.Main;
import org.gossipdrive.platform.fuse.StaleMounts;

/** The real {@code gossipdrive} CLI and daemon, run as child JVMs. */
public final class DaemonProcess implements AutoCloseable {
  private final Path home;
  private final Path mountPoint;
  private final Path log;
  private final String listen;
  private Process daemon;

  public DaemonProcess(Path home, Path mountPoint) {
    this(home, mountPoint, "127.0.0.1:0");
  }

  public DaemonProcess(Path home, Path mountPoint, String listen) {
    this.home = home;
    this.mountPoint = mountPoint;
    this.listen = listen;
    this.log = home.resolveSibling(home.getFileName() + "-daemon.log");
  }

  public static List<String> java(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("--sun-misc-unsafe-memory-access=allow");
    command.add("-Xmx1g");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    return command;
  }

  /** Asks this running daemon for a five-minute invitation and returns its token. */
  public String invite() throws IOException, InterruptedException {
    return cli("invite", "--valid", "PT5M")
        .lines()
        .filter(l -> l.startsWith("gd1."))
        .findFirst()
        .orElseThrow(() -> new AssertionError("invite printed no token"));
  }

  /** Runs a CLI command to completion, whatever its exit status. */
  public Shell.Result tryCli(String... args) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>(List.of(args));
    full.add("--home");
    full.add(home.toString());
    return Shell.run(home.getParent(), java(full.toArray(String[]::new)));
  }

  /** The {@code up} command line of this device, with {@code options} added. */
  private List<String> up(String... options) {
    List<String> up =
        new ArrayList<>(
            List.of(
                "up",
                "--home",
                home.toString(),
                "--mount",
                mountPoint.toString(),
                "--listen",
                listen,
                "--no-discovery"));
    up.addAll(List.of(options));
    return java(up.toArray(String[]::new));
  }

  /** Runs {@code up} in the foreground to its end (for start-up errors), whatever its status. */
  public Shell.Result tryUp(String... options) throws IOException, InterruptedException {
    return Shell.run(home.getParent(), up(options));
  }

  /** Runs a CLI command to completion and returns its output; fails on a non-zero exit. */
  public String cli(String... args) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>(List.of(args));
    full.add("--home");
    full.add(home.toString());
    return Shell.ok(home.getParent(), java(full.toArray(String[]::new)).toArray(String[]::new));
  }

  /** Starts {@code up} (with {@code options}) and waits until the drive is mounted. */
  public void start(String... options) throws IOException, InterruptedException {
    launch(options);
    awaitMounted();
  }

  /** Starts {@code up} (with {@code options}) and returns at once, while it is still starting. */
  public void launch(String... options) throws IOException {
    if (!StaleMounts.isMounted(mountPoint)) {
      Files.createDirectories(mountPoint);
    }
    daemon =
        new ProcessBuilder(up(options))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
  }

  /** Waits until the daemon last launched has mounted the drive. */
  public void awaitMounted() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    // daemon.json is written once the mount is up; a killed daemon leaves its old one behind.
    String ready = "\"pid\":" + daemon.pid() + ",";
    while (!(Files.exists(home.resolve("daemon.json"))
        && Files.readString(home.resolve("daemon.json")).contains(ready))) {
      if (!daemon.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("the daemon did not come up:\n" + Files.readString(log));
      }
      Thread.sleep(50);
    }
  }

  /** What the daemon printed so far (standard output and error). */
  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  public Path mountPoint() {
    return mountPoint;
  }

  /** An answer of the daemon's local API. */
  public record Answer(int status, String body) {}

  /** Calls the running daemon's local API directly (no CLI start-up in between). */
  public Answer api(String method, String path) throws IOException, InterruptedException {
    String info = Files.readString(home.resolve("daemon.json"));
    var port = java.util.regex.Pattern.compile("\"port\":(\\d+)").matcher(info);
    if (!port.find()) {
      throw new AssertionError("no port in daemon.json: " + info);
    }
    String token = Files.readString(home.resolve("api.token")).strip();
    try (var client = java.net.http.HttpClient.newHttpClient()) {
      var request =
          java.net.http.HttpRequest.newBuilder(
                  java.net.URI.create("http://127.0.0.1:" + port.group(1) + path))
              .header("Authorization", "Bearer " + token)
              .method(method, java.net.http.HttpRequest.BodyPublishers.noBody())
              .build();
      var response = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.body());
    }
  }

  /** SIGKILL: no shutdown hook runs, the mount is left behind. */
  public void kill() throws InterruptedException {
    daemon.destroyForcibly();
    daemon.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM: the daemon commits, unmounts and exits. */
  public int stop() throws InterruptedException {
    daemon.destroy();
    if (!daemon.waitFor(60, TimeUnit.SECONDS)) {
      daemon.destroyForcibly();
      daemon.waitFor(30, TimeUnit.SECONDS);
    }
    return daemon.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (daemon != null && daemon.isAlive()) {
      kill();
    }
    StaleMounts.unmount(mountPoint);
  }
}
