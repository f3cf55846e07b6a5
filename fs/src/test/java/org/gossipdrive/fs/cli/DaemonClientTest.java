package org.gossipdrive.fs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import org.gossipdrive.fs.daemon.ApiProof;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI believes only a daemon that proves it holds the home's token (F7, ADR 38): a process of
 * another user on the port a stale {@code daemon.json} names gets neither the token nor belief.
 */
class DaemonClientTest {
  private static final String TOKEN = "the-token-of-this-home-0123456789abcdefghijk";

  @TempDir Path home;
  private HttpServer fake;

  /** Everything the fake server was sent: request lines and headers. */
  private final List<String> received = new CopyOnWriteArrayList<>();

  /**
   * Starts a server on 127.0.0.1 answering like the daemon: {@code proof} makes its answer to
   * {@code /api/prove} from the nonce and its own port; every other path answers a peer list.
   */
  private int startFake(BiFunction<byte[], Integer, String> proof) throws IOException {
    fake = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    fake.createContext(
        "/",
        exchange -> {
          try (exchange) {
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            exchange.getRequestHeaders().forEach((k, v) -> received.add(k + ": " + v));
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getRawQuery();
            String body =
                path.equals("/api/prove")
                    ? proof.apply(
                        Base64.getUrlDecoder().decode(query.substring("nonce=".length())),
                        fake.getAddress().getPort())
                    : "peers\n  mallory    reachable direct\n";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
          }
        });
    fake.start();
    int port = fake.getAddress().getPort();
    // What a crashed daemon leaves: its port, and the token of this home.
    Files.writeString(home.resolve("api.token"), TOKEN);
    Files.writeString(
        home.resolve("daemon.json"), "{\"port\":" + port + ",\"pid\":1,\"mount\":\"/nowhere\"}\n");
    return port;
  }

  @AfterEach
  void stop() {
    if (fake != null) {
      fake.stop(0);
    }
  }

  private static String[] run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
      int status = Main.run(args);
      return new String[] {
        Integer.toString(status),
        stdout.toString(StandardCharsets.UTF_8),
        stderr.toString(StandardCharsets.UTF_8)
      };
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  private void assertRefusedAndTokenNeverSent(int port) {
    String[] peers = run("peers", "--home", home.toString());
    assertEquals("1", peers[0], peers[2]);
    assertEquals(
        "error: the process on 127.0.0.1:"
            + port
            + " is not this home's daemon (it cannot prove it holds "
            + home.resolve("api.token")
            + "); nothing was sent to it. If the daemon crashed, start it again: gossipdrive up",
        peers[2].strip());
    assertEquals("", peers[1], "nothing the impostor said is printed");
    assertFalse(received.isEmpty(), "the impostor was asked for its proof");
    assertTrue(
        received.stream().noneMatch(line -> line.contains(TOKEN)),
        "the token never reached the impostor: " + received);
    assertTrue(
        received.stream().noneMatch(line -> line.startsWith("GET /api/peers")),
        "no request was sent: " + received);
  }

  @Test
  void aProcessThatCannotProveTheTokenGetsNothing() throws Exception {
    int port = startFake((nonce, own) -> "bm90IGEgcHJvb2Y\n");
    assertRefusedAndTokenNeverSent(port);
  }

  @Test
  void aProcessThatAnswersNoProofAtAllGetsNothing() throws Exception {
    int port = startFake((nonce, own) -> "peers\n");
    assertRefusedAndTokenNeverSent(port);
  }

  @Test
  void aProofRelayedFromTheDaemonOnAnotherPortIsRefused() throws Exception {
    // The real daemon's answer for this nonce, on the port it really serves: not this port.
    int port =
        startFake(
            (nonce, own) ->
                Base64.getUrlEncoder()
                    .encodeToString(
                        ApiProof.of(TOKEN.getBytes(StandardCharsets.US_ASCII), own + 1, nonce)));
    assertRefusedAndTokenNeverSent(port);
  }

  @Test
  void theHoldersProofIsBelievedAndOnlyThenTheTokenSent() throws Exception {
    startFake(
        (nonce, own) ->
            Base64.getUrlEncoder()
                .encodeToString(
                    ApiProof.of(TOKEN.getBytes(StandardCharsets.US_ASCII), own, nonce)));
    String[] peers = run("peers", "--home", home.toString());
    assertEquals("0", peers[0], peers[2]);
    assertTrue(peers[1].contains("mallory"), peers[1]);
    assertTrue(received.get(0).startsWith("GET /api/prove?nonce="), received.toString());
    int proofEnd =
        received.indexOf(
            received.stream()
                .filter(l -> l.startsWith("GET /api/peers"))
                .findFirst()
                .orElseThrow());
    assertTrue(
        received.subList(0, proofEnd).stream().noneMatch(l -> l.contains(TOKEN)),
        "the proof request carries no token");
    assertTrue(
        received.subList(proofEnd, received.size()).stream().anyMatch(l -> l.contains(TOKEN)));
  }
}
