package org.gossipdrive.tests.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two Syncthing instances sharing one folder, configured as the replication issue asks: a 1 s
 * watcher delay, no relays, no global or local discovery, only 127.0.0.1.
 */
final class SyncthingPair implements SyncPair {
  private static final String API_KEY = "gossipdrive-bench";

  private final Instance a;
  private final Instance b;
  private final String version;

  private record Instance(Path home, Path folder, int port, int gui, String id, Process process) {}

  private SyncthingPair(Instance a, Instance b, String version) {
    this.a = a;
    this.b = b;
    this.version = version;
  }

  /** Installs Syncthing when missing (Debian's package); empty, with the reason, if impossible. */
  static Optional<String> unavailable() throws IOException, InterruptedException {
    if (onPath()) {
      return Optional.empty();
    }
    System.out.println("  installing Syncthing (apt-get install -y syncthing) ...");
    Process install =
        new ProcessBuilder("apt-get", "install", "-y", "-q", "syncthing")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    install.waitFor(10, TimeUnit.MINUTES);
    return onPath()
        ? Optional.empty()
        : Optional.of("Syncthing is not installed and apt-get could not install it");
  }

  private static boolean onPath() {
    return List.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(":")).stream()
        .anyMatch(d -> Files.isExecutable(Path.of(d, "syncthing")));
  }

  static SyncthingPair start(Path dir) throws Exception {
    String version = run(dir, "syncthing", "--version").strip();
    Path homeA = dir.resolve("st-a");
    Path homeB = dir.resolve("st-b");
    String idA = generate(dir, homeA);
    String idB = generate(dir, homeB);
    int portA = freePort();
    int portB = freePort();
    int guiA = freePort();
    int guiB = freePort();
    Path folderA = Files.createDirectories(dir.resolve("st-a-folder"));
    Path folderB = Files.createDirectories(dir.resolve("st-b-folder"));
    configure(homeA, folderA, idA, portA, guiA, idB, portB);
    configure(homeB, folderB, idB, portB, guiB, idA, portA);
    Instance a = new Instance(homeA, folderA, portA, guiA, idA, serve(homeA));
    Instance b;
    try {
      b = new Instance(homeB, folderB, portB, guiB, idB, serve(homeB));
    } catch (IOException e) {
      a.process().destroyForcibly();
      throw e;
    }
    SyncthingPair pair = new SyncthingPair(a, b, version);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!pair.connected()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the two Syncthing instances did not connect");
        }
        Thread.sleep(200);
      }
    } catch (Exception e) {
      pair.close();
      throw e;
    }
    return pair;
  }

  private static String generate(Path dir, Path home) throws IOException, InterruptedException {
    run(dir, "syncthing", "generate", "--home=" + home, "--no-default-folder");
    Matcher id =
        Pattern.compile("<device id=\"([A-Z0-9-]+)\"")
            .matcher(Files.readString(home.resolve("config.xml")));
    if (!id.find()) {
      throw new IllegalStateException("syncthing generate wrote no device id in " + home);
    }
    return id.group(1);
  }

  private static void configure(
      Path home, Path folder, String self, int port, int gui, String peer, int peerPort)
      throws IOException {
    String generated = Files.readString(home.resolve("config.xml"));
    Matcher version = Pattern.compile("<configuration version=\"(\\d+)\"").matcher(generated);
    String configVersion = version.find() ? version.group(1) : "37";
    String config =
        """
        <configuration version="%s">
          <folder id="bench" label="bench" path="%s" type="sendreceive" rescanIntervalS="3600"
                  fsWatcherEnabled="true" fsWatcherDelayS="1" ignorePerms="false">
            <filesystemType>basic</filesystemType>
            <device id="%s"></device>
            <device id="%s"></device>
            <minDiskFree unit="%%">1</minDiskFree>
          </folder>
          <device id="%s" name="self" compression="metadata"><address>dynamic</address></device>
          <device id="%s" name="peer" compression="metadata">
            <address>tcp://127.0.0.1:%d</address>
          </device>
          <gui enabled="true" tls="false"><address>127.0.0.1:%d</address><apikey>%s</apikey></gui>
          <options>
            <listenAddress>tcp://127.0.0.1:%d</listenAddress>
            <globalAnnounceEnabled>false</globalAnnounceEnabled>
            <localAnnounceEnabled>false</localAnnounceEnabled>
            <relaysEnabled>false</relaysEnabled>
            <natEnabled>false</natEnabled>
            <urAccepted>-1</urAccepted>
            <autoUpgradeIntervalH>0</autoUpgradeIntervalH>
            <startBrowser>false</startBrowser>
            <crashReportingEnabled>false</crashReportingEnabled>
          </options>
        </configuration>
        """
            .formatted(configVersion, folder, self, peer, self, peer, peerPort, gui, API_KEY, port);
    Files.writeString(home.resolve("config.xml"), config);
  }

  private static Process serve(Path home) throws IOException {
    return new ProcessBuilder(
            "syncthing", "serve", "--home=" + home, "--no-browser", "--no-restart")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("log.txt").toFile()))
        .start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String run(Path dir, String... command) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
    }
    return output;
  }

  private String api(Instance instance, String path) throws IOException, InterruptedException {
    try (HttpClient client = HttpClient.newHttpClient()) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.gui() + path))
              .header("X-API-Key", API_KEY)
              .build();
      return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }
  }

  private boolean connected() {
    try {
      String connections = api(a, "/rest/system/connections");
      int at = connections.indexOf("\"" + b.id() + "\"");
      return at >= 0 && connections.substring(at).matches("(?s)[^}]*\"connected\":\\s*true.*");
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  String version() {
    return version;
  }

  @Override
  public String name() {
    return "Syncthing";
  }

  @Override
  public Path source() {
    return a.folder();
  }

  @Override
  public Path target() {
    return b.folder();
  }

  /** A's total traffic (in + out), as Syncthing counts it. */
  @Override
  public long wireBytes() throws Exception {
    String connections = api(a, "/rest/system/connections");
    int total = connections.indexOf("\"total\"");
    String part = connections.substring(total);
    return number(part, "inBytesTotal") + number(part, "outBytesTotal");
  }

  private static long number(String json, String field) {
    Matcher m = Pattern.compile("\"" + field + "\":\\s*(\\d+)").matcher(json);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  @Override
  public void close() throws InterruptedException {
    for (Instance instance : List.of(a, b)) {
      instance.process().destroy();
    }
    for (Instance instance : List.of(a, b)) {
      if (!instance.process().waitFor(20, TimeUnit.SECONDS)) {
        instance.process().destroyForcibly();
      }
    }
  }
}
