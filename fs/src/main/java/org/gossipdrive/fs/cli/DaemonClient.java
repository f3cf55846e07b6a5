package org.gossipdrive.fs.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gossipdrive.fs.daemon.TerminalText;

/**
 * Talks to the running daemon of a home through its local API, once the process on the port has
 * proved it holds the home's token (ADR 38).
 */
final class DaemonClient {
  private static final Pattern PORT = Pattern.compile("\"port\":(\\d+)");
  private static final Pattern MOUNT = Pattern.compile("\"mount\":\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** How long a command waits for a daemon that is still starting (opening its store, mounting). */
  private static final Duration STARTING = Duration.ofSeconds(120);

  private final Home home;
  private volatile int port;
  private volatile String token;
  private volatile String info;

  /** The port whose process proved it holds the token (ADR 38); -1 until one did. */
  private volatile int provenPort = -1;

  private DaemonClient(Home home, int port, String token, String info) {
    this.home = home;
    this.port = port;
    this.token = token;
    this.info = info;
  }

  /** The status page, with the token in the fragment (browsers do not send it to the server). */
  String pageUrl() {
    return "http://127.0.0.1:" + port + "/#token=" + token;
  }

  /** Where the running daemon mounted the drive. */
  Path mountPoint() {
    Matcher mount = MOUNT.matcher(info);
    if (!mount.find()) {
      throw new CliException("daemon.json does not say where the drive is mounted");
    }
    return Path.of(mount.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
  }

  /** The daemon of {@code home}, or a one-line error saying none runs. */
  static DaemonClient of(Home home) {
    Path info = home.directory().resolve("daemon.json");
    Path tokenFile = home.directory().resolve("api.token");
    if (!Files.exists(info) || !Files.exists(tokenFile)) {
      throw new CliException(
          "no daemon is running for "
              + home.directory()
              + "; start one with: gossipdrive up --home "
              + home.directory());
    }
    try {
      String text = Files.readString(info, StandardCharsets.UTF_8);
      Matcher port = PORT.matcher(text);
      if (!port.find()) {
        throw new CliException(info + " is damaged; restart the daemon");
      }
      return new DaemonClient(
          home,
          Integer.parseInt(port.group(1)),
          Files.readString(tokenFile, StandardCharsets.US_ASCII).strip(),
          text);
    } catch (IOException e) {
      throw new CliException("cannot read " + info + ": " + e.getMessage());
    }
  }

  /** The daemon of {@code home} if one is running and answers, else empty. */
  static java.util.Optional<DaemonClient> running(Home home) {
    if (!Files.exists(home.directory().resolve("daemon.json"))) {
      return java.util.Optional.empty();
    }
    try {
      DaemonClient client = of(home);
      client.get("/api/status");
      return java.util.Optional.of(client);
    } catch (CliException e) {
      return java.util.Optional.empty(); // a file left by a daemon that was killed
    }
  }

  String get(String path) {
    return send(path, HttpRequest.Builder::GET, Duration.ofSeconds(10));
  }

  String post(String path, Duration timeout) {
    return send(path, b -> b.POST(HttpRequest.BodyPublishers.noBody()), timeout);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /**
   * Sends {@code request}; when no daemon listens yet but one holds the home (it is starting: its
   * {@code daemon.json} is written once the drive is mounted), waits for it.
   */
  private String send(
      String path, java.util.function.UnaryOperator<HttpRequest.Builder> method, Duration timeout) {
    long deadline = System.nanoTime() + STARTING.toNanos();
    boolean told = false;
    while (true) {
      try {
        return sendOnce(method.apply(HttpRequest.newBuilder(uri(path))), timeout);
      } catch (Refused refused) {
        if (System.nanoTime() > deadline || !daemonHoldsHome()) {
          throw new CliException(
              "no daemon answers on 127.0.0.1:"
                  + refused.port
                  + " (connection refused: it stopped, and none is starting for "
                  + home.directory()
                  + "; start one with: gossipdrive up)");
        }
        if (!told) {
          System.err.println("waiting for the daemon of " + home.directory() + " to start...");
          told = true;
        }
        pause();
        reload();
      }
    }
  }

  /** Connection refused on {@code port}. */
  private static final class Refused extends Exception {
    final int port;

    Refused(int port) {
      super(null, null, false, false);
      this.port = port;
    }
  }

  /** Whether a daemon process holds this home's lock (running, or still starting). */
  private boolean daemonHoldsHome() {
    Path lockFile = home.directory().resolve("daemon.lock");
    if (!Files.exists(lockFile)) {
      return false;
    }
    try (var channel =
            java.nio.channels.FileChannel.open(lockFile, java.nio.file.StandardOpenOption.WRITE);
        var lock = channel.tryLock()) {
      return lock == null;
    } catch (java.nio.channels.OverlappingFileLockException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void reload() {
    try {
      DaemonClient now = of(home);
      port = now.port;
      token = now.token;
      provenPort = -1;
      info = now.info;
    } catch (CliException e) {
      // daemon.json not written yet: keep waiting
    }
  }

  private static void pause() {
    try {
      Thread.sleep(250);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
  }

  /**
   * Makes the process on {@link #port} prove it holds this home's token before the token is sent to
   * it or anything it says is believed: after a crash, another local user may listen on the port
   * that {@code daemon.json} still names (ADR 38).
   */
  private void proveDaemon(HttpClient client) throws Refused {
    int asked = port;
    if (provenPort == asked) {
      return;
    }
    byte[] nonce = new byte[org.gossipdrive.fs.daemon.ApiProof.NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    String encoded = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(nonce);
    HttpResponse<String> response;
    try {
      response =
          client.send(
              HttpRequest.newBuilder(uri("/api/prove?nonce=" + encoded))
                  .timeout(Duration.ofSeconds(10))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.US_ASCII));
    } catch (java.net.ConnectException e) {
      throw new Refused(asked);
    } catch (java.net.http.HttpTimeoutException e) {
      throw new CliException("the process on 127.0.0.1:" + asked + " did not answer within 10 s");
    } catch (IOException e) {
      throw notThisHomes(asked);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
    byte[] presented;
    try {
      presented = java.util.Base64.getUrlDecoder().decode(response.body().strip());
    } catch (IllegalArgumentException e) {
      throw notThisHomes(asked);
    }
    if (response.statusCode() != 200
        || !org.gossipdrive.fs.daemon.ApiProof.matches(
            token.getBytes(StandardCharsets.US_ASCII), asked, nonce, presented)) {
      throw notThisHomes(asked);
    }
    provenPort = asked;
  }

  private CliException notThisHomes(int asked) {
    return new CliException(
        "the process on 127.0.0.1:"
            + asked
            + " is not this home's daemon (it cannot prove it holds "
            + home.directory().resolve("api.token")
            + "); nothing was sent to it. If the daemon crashed, start it again: gossipdrive up");
  }

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  private String sendOnce(HttpRequest.Builder request, Duration timeout) throws Refused {
    try (HttpClient client =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()) {
      proveDaemon(client);
      HttpResponse<String> response =
          client.send(
              request.header("Authorization", "Bearer " + token).timeout(timeout).build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      // Whatever the daemon answers reaches a terminal: it carries names and paths from other
      // devices, so no control character in it is passed on raw (ADR 37).
      String body = TerminalText.escapeKeepingLines(response.body());
      if (response.statusCode() != 200) {
        throw new CliException(
            "the daemon answered " + response.statusCode() + ": " + body.strip());
      }
      return body;
    } catch (java.net.ConnectException e) {
      throw new Refused(port);
    } catch (java.net.http.HttpTimeoutException e) {
      throw new CliException(
          "the daemon on 127.0.0.1:"
              + port
              + " did not answer within "
              + timeout.toSeconds()
              + " s");
    } catch (IOException e) {
      throw new CliException(
          "no daemon answers on 127.0.0.1:"
              + port
              + ": "
              + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
  }
}
