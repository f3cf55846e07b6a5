package org.gossipdrive.tests.drive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's status page in real headless Chromium (Debian's package, driven by playwright-core
 * from tests/browser): it loads with the URL `status` prints, shows a peer going offline when its
 * daemon is killed, a lock appearing when a file is opened for writing, and breaks the lock of the
 * device that went away.
 */
class StatusPageTest {
  private static final Path DRIVER = Path.of("browser", "page-driver.mjs").toAbsolutePath();

  @TempDir Path dir;

  /** The page in a browser, answering the driver's line commands. */
  private static final class Browser implements AutoCloseable {
    final Process process;
    final BufferedReader out;
    final OutputStream in;

    Browser(String url) throws IOException {
      process =
          new ProcessBuilder("node", DRIVER.toString(), url).redirectErrorStream(true).start();
      out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      in = process.getOutputStream();
      String first = out.readLine();
      if (!"ready".equals(first)) {
        throw new AssertionError("the browser did not open the page: " + first);
      }
    }

    String ask(String command) throws IOException {
      in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
      String answer = out.readLine();
      assertTrue(answer != null && answer.startsWith("ok"), command + " -> " + answer);
      return answer;
    }

    @Override
    public void close() throws Exception {
      try {
        in.write("quit\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
      } catch (IOException ignored) {
        // already gone
      }
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  @Test
  void thePageShowsPeersAndLocksLiveBreaksALockOfAGoneDeviceAndRemovesIt() throws Exception {
    assertTrue(
        Files.exists(DRIVER.resolveSibling("node_modules")), "run npm install in tests/browser");
    try (DaemonProcess alice = new DaemonProcess(dir.resolve("alice"), dir.resolve("alice-mnt"));
        DaemonProcess bob = new DaemonProcess(dir.resolve("bob"), dir.resolve("bob-mnt"))) {
      alice.cli("init", "--name", "alice");
      alice.start();
      String token = alice.invite();
      bob.cli("join", token, "--name", "bob", "--no-up");
      bob.start();
      Files.writeString(alice.mountPoint().resolve("report.odt"), "draft");
      Files.writeString(alice.mountPoint().resolve("scene.blend"), "scene");
      String url =
          alice
              .cli("status")
              .lines()
              .filter(l -> l.startsWith("status page: "))
              .findFirst()
              .orElseThrow()
              .substring("status page: ".length());
      assertTrue(url.matches("http://127\\.0\\.0\\.1:\\d+/#token=.+"), url);
      try (var client = java.net.http.HttpClient.newHttpClient()) {
        String base = url.substring(0, url.indexOf("/#"));
        var noToken =
            client.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/status"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(401, noToken.statusCode(), "the data needs the token");
        var shell =
            client.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, shell.statusCode());
        assertTrue(
            !shell.body().contains(url.substring(url.indexOf("token=") + 6)), "no token in it");
      }

      try (Browser page = new Browser(url)) {
        page.ask("text\t#device\talice");
        page.ask("text\t#peers tbody tr[data-peer=bob]\tonline\\s+direct");
        page.ask("text\t#sync\tin sync");
        page.ask("click\t#invite");
        String invitation = page.ask("text\t#token\t^gd1\\.[A-Za-z0-9_.-]+\\s+\\(valid until ");
        assertTrue(invitation.length() > 40, invitation);

        Process holder =
            new ProcessBuilder(
                    "python3",
                    "-c",
                    "import sys\nf = open('report.odt', 'r+')\nprint('held', flush=True)\nsys.stdin.readline()")
                .directory(alice.mountPoint().toFile())
                .redirectErrorStream(true)
                .start();
        try {
          assertEquals(
              "held",
              new BufferedReader(new InputStreamReader(holder.getInputStream())).readLine());
          page.ask("text\t#locks tbody\t/report\\.odt.*alice \\(this device\\)");
        } finally {
          holder.getOutputStream().close();
          holder.waitFor(10, TimeUnit.SECONDS);
        }

        assertEquals(200, bob.api("POST", "/api/lock?path=/scene.blend").status());
        page.ask("text\t#locks tbody\t/scene\\.blend.*bob");
        bob.kill();
        page.ask("text\t#peers tbody tr[data-peer=bob]\tsuspect|offline");
        page.ask("click\t#locks tbody button");
        page.ask("text\t#locks tbody\t^((?!scene\\.blend)[\\s\\S])*$");
        // bob is gone for good: his Remove button removes him from the drive
        page.ask("click\t#peers tbody tr[data-peer=bob] button");
        page.ask("text\t#peers tbody tr[data-peer=bob]\tremoved\\s+by alice");
      }
      assertTrue(
          !alice.api("GET", "/api/locks").body().contains("/scene.blend"), "the break took effect");
      assertTrue(
          alice.cli("peers").contains("bob        removed  by alice"), "the removal took effect");
    }
  }
}
