package org.gossipdrive.fs.daemon;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Executors;
import org.gossipdrive.net.AtomicFiles;

/**
 * The daemon's API for the CLI (and later the status page): HTTP on 127.0.0.1 only, every request
 * carrying the token kept in the home ({@code api.token}, readable by its owner only). The port and
 * pid are published in {@code daemon.json} for clients to find; {@code /api/prove} answers, without
 * the token, the proof that this process holds it ({@link ApiProof}, ADR 38).
 */
public final class LocalApi implements AutoCloseable {
  static final String TOKEN_FILE = "api.token";
  static final String INFO_FILE = "daemon.json";

  private final HttpServer server;
  private final byte[] token;
  private final Path home;

  private LocalApi(HttpServer server, byte[] token, Path home) {
    this.server = server;
    this.token = token;
    this.home = home;
  }

  static LocalApi start(Path home, Daemon daemon) throws IOException {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    AtomicFiles.write(home.resolve(TOKEN_FILE), token.getBytes(StandardCharsets.US_ASCII));
    HttpServer server;
    try {
      server = HttpServer.create(daemon.config().api(), 16);
    } catch (java.net.BindException e) {
      throw new DaemonException(
          "cannot serve the local API on "
              + KnownPeers.format(daemon.config().api())
              + ": "
              + e.getMessage()
              + " (choose --api)");
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    LocalApi api = new LocalApi(server, token.getBytes(StandardCharsets.US_ASCII), home);
    StatusReport status = new StatusReport(daemon);
    api.route("/api/status", "GET", query -> new Reply("application/json", status.json()));
    api.route("/api/status.txt", "GET", query -> new Reply("text/plain", status.text()));
    api.route("/api/verify", "POST", query -> new Reply("application/json", verify(daemon).json()));
    api.route("/api/verify.txt", "POST", query -> new Reply("text/plain", verify(daemon).text()));
    api.route("/api/audit", "GET", query -> new Reply("application/json", audit(daemon)));
    api.route(
        "/api/verify/progress",
        "GET",
        query -> {
          var p = daemon.replica().verifyProgress();
          return new Reply(
              "application/json",
              "{\"running\":"
                  + p.running()
                  + ",\"phase\":"
                  + Json.quote(p.phase())
                  + ",\"done\":"
                  + p.done()
                  + ",\"total\":"
                  + p.total()
                  + ",\"bytes\":"
                  + p.bytes()
                  + "}\n");
        });
    api.route(
        "/api/invite",
        "POST",
        query -> {
          Duration validity = validity(query);
          var invitation = daemon.invite(validity);
          return new Reply("text/plain", invitation.toText() + "\n" + invitation.expires() + "\n");
        });
    api.route(
        "/api/peers", "GET", query -> new Reply("application/json", status.peersJson() + "\n"));
    api.route("/api/peers.txt", "GET", query -> new Reply("text/plain", status.peersText()));
    ConflictReport conflicts = new ConflictReport(daemon.replica());
    api.route("/api/conflicts", "GET", query -> new Reply("application/json", conflicts.json()));
    api.route("/api/conflicts.txt", "GET", query -> new Reply("text/plain", conflicts.text()));
    FileHistory history = new FileHistory(daemon);
    api.route(
        "/api/history",
        "GET",
        query -> new Reply("application/json", known(() -> history.json(drivePath(query)))));
    api.route(
        "/api/history.txt",
        "GET",
        query -> new Reply("text/plain", known(() -> history.text(drivePath(query)))));
    api.route(
        "/api/restore",
        "POST",
        query -> {
          String path = drivePath(query);
          long version;
          try {
            version = Long.parseLong(parameter(query, "version").orElse(""));
          } catch (NumberFormatException e) {
            throw new BadRequest("version must be a version number from history");
          }
          try {
            known(() -> history.restore(path, version).name());
          } catch (IllegalStateException e) {
            throw new Refused(409, e.getMessage());
          }
          return new Reply("text/plain", "restored " + path + " to version " + version + "\n");
        });
    api.route(
        "/api/discovery",
        "POST",
        query -> {
          boolean on =
              Boolean.parseBoolean(
                  parameter(query, "on").orElseThrow(() -> new BadRequest("on is missing")));
          daemon.setDiscovery(on);
          return new Reply("text/plain", "discovery " + (on ? "on" : "off") + "\n");
        });
    api.route(
        "/api/rename",
        "POST",
        query -> {
          String name =
              parameter(query, "name").orElseThrow(() -> new BadRequest("name is missing"));
          try {
            daemon.rename(name);
          } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
          }
          return new Reply("text/plain", "this device is now named " + name.strip() + "\n");
        });
    api.route(
        "/api/remove",
        "POST",
        query -> {
          String device =
              parameter(query, "device").orElseThrow(() -> new BadRequest("device is missing"));
          org.gossipdrive.net.trust.Removal removal;
          try {
            removal = daemon.remove(device);
          } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
          } catch (org.gossipdrive.net.trust.TrustException e) {
            throw new Refused(409, e.getMessage());
          }
          return new Reply("text/plain", StatusReport.removedLine(daemon, removal) + "\n");
        });
    api.servePage();
    api.serveProof();
    LockReport locks = new LockReport(daemon);
    api.route("/api/locks", "GET", query -> new Reply("application/json", locks.json()));
    api.route("/api/locks.txt", "GET", query -> new Reply("text/plain", locks.text()));
    api.route(
        "/api/lock",
        "POST",
        query -> {
          String path = drivePath(query);
          org.gossipdrive.engine.lock.AcquireResult result;
          try {
            result = daemon.mount().vfs().lock(path);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused(503, "interrupted");
          } catch (RuntimeException e) {
            throw new Refused(404, path + " does not exist on the drive");
          }
          if (!result.granted()) {
            throw new Refused(
                409,
                result
                    .lock()
                    .map(
                        l ->
                            TerminalText.escape(path)
                                + " is locked by "
                                + TerminalText.escape(l.holderName())
                                + " since "
                                + l.since())
                    .orElse(path + " is being claimed by another device; try again"));
          }
          return new Reply("application/json", locks.lockJson(result.lock().orElseThrow()) + "\n");
        });
    api.route(
        "/api/unlock",
        "POST",
        query -> {
          String path = drivePath(query);
          boolean force = parameter(query, "break").map(Boolean::parseBoolean).orElse(false);
          var lock = daemon.locks().lock(path);
          if (lock.isEmpty()) {
            throw new Refused(404, path + " is not locked");
          }
          if (lock.get().holder().equals(daemon.identity().id())) {
            daemon.mount().vfs().unlock(path);
            return new Reply("text/plain", "unlocked " + path + "\n");
          }
          if (!force) {
            throw new Refused(
                409,
                TerminalText.escape(path)
                    + " is locked by "
                    + TerminalText.escape(lock.get().holderName())
                    + "; only it can unlock it (an unreachable holder's lock can be broken with"
                    + " --break)");
          }
          try {
            var broken = daemon.locks().breakLock(path);
            return new Reply(
                "text/plain",
                "broke the lock "
                    + TerminalText.escape(broken.holderName())
                    + " held on "
                    + TerminalText.escape(path)
                    + "\n");
          } catch (IllegalStateException e) {
            throw new Refused(409, e.getMessage());
          }
        });
    server.start();
    String info =
        "{\"port\":"
            + server.getAddress().getPort()
            + ",\"pid\":"
            + ProcessHandle.current().pid()
            + ",\"mount\":"
            + Json.quote(daemon.mountPoint().toString())
            + "}\n";
    AtomicFiles.write(home.resolve(INFO_FILE), info.getBytes(StandardCharsets.UTF_8));
    return api;
  }

  /**
   * Lost work, as {@link org.gossipdrive.engine.maintenance.EditAudit} finds it: versions no other
   * supersedes whose content no file shows. The racing and churn tests ask it after each run.
   */
  private static String audit(Daemon daemon) {
    StringBuilder json = new StringBuilder("{\"lost\":[");
    var lost = org.gossipdrive.engine.maintenance.EditAudit.lostEdits(daemon.replica());
    for (int i = 0; i < lost.size(); i++) {
      var v = lost.get(i);
      json.append(i == 0 ? "" : ",")
          .append("{\"id\":")
          .append(Json.quote(v.id().toString()))
          .append(",\"name\":")
          .append(Json.quote(v.name()))
          .append(",\"author\":")
          .append(Json.quote(v.author().toString()))
          .append(",\"sequence\":")
          .append(v.authorSequence())
          .append('}');
    }
    return json.append("]}\n").toString();
  }

  private static VerifyText verify(Daemon daemon) {
    return new VerifyText(daemon.replica().verify());
  }

  /** {@code valid=PT1H} (ISO-8601), between 1 second and 7 days; 1 hour when absent. */
  private static Duration validity(String query) {
    for (String pair : query.split("&")) {
      if (pair.startsWith("valid=")) {
        try {
          Duration d =
              Duration.parse(java.net.URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8));
          if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofDays(7)) > 0) {
            throw new BadRequest("valid must be between 1 second and 7 days");
          }
          return d;
        } catch (java.time.format.DateTimeParseException e) {
          throw new BadRequest("valid must be an ISO-8601 duration such as PT1H");
        }
      }
    }
    return Duration.ofHours(1);
  }

  private static java.util.Optional<String> parameter(String query, String name) {
    for (String pair : query.split("&")) {
      if (pair.startsWith(name + "=")) {
        return java.util.Optional.of(
            java.net.URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8));
      }
    }
    return java.util.Optional.empty();
  }

  /** The {@code path} parameter: a drive path such as {@code /docs/report.odt}. */
  private static String drivePath(String query) {
    String path = parameter(query, "path").orElseThrow(() -> new BadRequest("path is missing"));
    if (!path.startsWith("/") || path.contains("\0") || path.length() > 4096) {
      throw new BadRequest("path must be a drive path starting with /");
    }
    String normal = java.nio.file.Path.of(path).normalize().toString();
    return normal;
  }

  /** Runs a query whose IllegalArgumentException means "no such path or version": 404. */
  private static String known(java.util.function.Supplier<String> query) {
    try {
      return query.get();
    } catch (IllegalArgumentException e) {
      throw new Refused(404, e.getMessage());
    }
  }

  /** A request the API refuses with a status code and this message. */
  private static class Refused extends RuntimeException {
    final int code;

    Refused(int code, String message) {
      super(message);
      this.code = code;
    }
  }

  /** A request the API refuses with 400 and this message. */
  private static final class BadRequest extends Refused {
    BadRequest(String message) {
      super(400, message);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  record Reply(String type, String body) {}

  private interface Handler {
    /** {@code query} is the request's raw query string, or "" */
    Reply handle(String query) throws IOException;
  }

  private void route(String path, String method, Handler handler) {
    server.createContext(
        path,
        exchange -> {
          try (exchange) {
            if (!authorised(exchange)) {
              send(exchange, 401, new Reply("text/plain", "missing or wrong token\n"));
            } else if (!exchange.getRequestMethod().equals(method)) {
              send(exchange, 405, new Reply("text/plain", "use " + method + "\n"));
            } else if (!exchange.getRequestURI().getPath().equals(path)) {
              send(exchange, 404, new Reply("text/plain", "not found\n"));
            } else {
              String query = exchange.getRequestURI().getRawQuery();
              Reply reply;
              try {
                reply = handler.handle(query == null ? "" : query);
              } catch (Refused e) {
                send(exchange, e.code, new Reply("text/plain", e.getMessage() + "\n"));
                return;
              }
              send(exchange, 200, reply);
            }
          } catch (RuntimeException e) {
            System.getLogger(LocalApi.class.getName())
                .log(System.Logger.Level.ERROR, "API " + path + " failed", e);
          }
        });
  }

  /**
   * The status page at {@code /}: static HTML and script with no data in it; the script reads the
   * token from the URL's fragment (never sent to the server) and calls the API with it.
   */
  private void servePage() throws IOException {
    byte[] page;
    try (var in = LocalApi.class.getResourceAsStream("status.html")) {
      if (in == null) {
        throw new IOException("status.html is missing from the build");
      }
      page = in.readAllBytes();
    }
    String html = new String(page, StandardCharsets.UTF_8);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            if (!exchange.getRequestURI().getPath().equals("/")) {
              send(exchange, 404, new Reply("text/plain", "not found\n"));
            } else if (!exchange.getRequestMethod().equals("GET")) {
              send(exchange, 405, new Reply("text/plain", "use GET\n"));
            } else {
              exchange.getResponseHeaders().set("Cache-Control", "no-store");
              exchange
                  .getResponseHeaders()
                  .set(
                      "Content-Security-Policy",
                      "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'");
              send(exchange, 200, new Reply("text/html", html));
            }
          }
        });
  }

  /**
   * {@code GET /api/prove?nonce=N}: the proof that this process holds the home's token (ADR 38),
   * asked without the token, which the CLI sends only once the proof checks out.
   */
  private void serveProof() {
    server.createContext(
        "/api/prove",
        exchange -> {
          try (exchange) {
            byte[] nonce = null;
            String query = exchange.getRequestURI().getRawQuery();
            if (query != null && query.startsWith("nonce=")) {
              try {
                nonce = Base64.getUrlDecoder().decode(query.substring(6));
              } catch (IllegalArgumentException e) {
                nonce = null;
              }
            }
            if (!exchange.getRequestURI().getPath().equals("/api/prove")) {
              send(exchange, 404, new Reply("text/plain", "not found\n"));
            } else if (!exchange.getRequestMethod().equals("GET")) {
              send(exchange, 405, new Reply("text/plain", "use GET\n"));
            } else if (nonce == null || nonce.length != ApiProof.NONCE_BYTES) {
              send(
                  exchange,
                  400,
                  new Reply(
                      "text/plain",
                      "nonce must be " + ApiProof.NONCE_BYTES + " bytes in base64url\n"));
            } else {
              byte[] proof = ApiProof.of(token, port(), nonce);
              send(
                  exchange,
                  200,
                  new Reply(
                      "text/plain",
                      Base64.getUrlEncoder().withoutPadding().encodeToString(proof) + "\n"));
            }
          }
        });
  }

  private boolean authorised(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.startsWith("Bearer ")) {
      return false;
    }
    byte[] presented = header.substring(7).strip().getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(presented, token);
  }

  private static void send(HttpExchange exchange, int code, Reply reply) throws IOException {
    byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", reply.type() + "; charset=utf-8");
    exchange.sendResponseHeaders(code, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() throws IOException {
    server.stop(0);
    Files.deleteIfExists(home.resolve(INFO_FILE));
  }
}
