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

/** Talks to the running daemon of a home through its local API. */
final class DaemonClient {
  private static final Pattern PORT = Pattern.compile("\"port\":(\\d+)");
  private static final Pattern MOUNT = Pattern.compile("\"mount\":\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final int port;
  private final String token;
  private final String info;

  private DaemonClient(int port, String token, String info) {
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
    return send(HttpRequest.newBuilder(uri(path)).GET(), Duration.ofSeconds(10));
  }

  String post(String path, Duration timeout) {
    return send(
        HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()), timeout);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private String send(HttpRequest.Builder request, Duration timeout) {
    try (HttpClient client =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()) {
      HttpResponse<String> response =
          client.send(
              request.header("Authorization", "Bearer " + token).timeout(timeout).build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (response.statusCode() != 200) {
        throw new CliException(
            "the daemon answered " + response.statusCode() + ": " + response.body().strip());
      }
      return response.body();
    } catch (IOException e) {
      throw new CliException(
          "no daemon answers on 127.0.0.1:" + port + " (it may have stopped): " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
  }
}
