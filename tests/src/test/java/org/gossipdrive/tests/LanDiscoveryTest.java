package org.gossipdrive.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gossipdrive.tests.discovery.DiscoveryProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two devices find each other over real mDNS multicast, each in its own network namespace joined by
 * a veth pair (loopback does not carry multicast). Needs root to make namespaces; skips with a
 * message otherwise.
 */
class LanDiscoveryTest {
  private final String nsA = "gdtest-a-" + ProcessHandle.current().pid();
  private final String nsB = "gdtest-b-" + ProcessHandle.current().pid();
  private final List<Process> children = new ArrayList<>();

  private static int run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor();
  }

  private static void must(String... command) throws IOException, InterruptedException {
    if (run(command) != 0) {
      throw new IllegalStateException("failed: " + String.join(" ", command));
    }
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (Process child : children) {
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    run("ip", "netns", "delete", nsA);
    run("ip", "netns", "delete", nsB);
  }

  private Process probe(String namespace, String address, int port, List<String> lines)
      throws IOException {
    Process child =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                namespace,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                DiscoveryProbe.class.getName(),
                address,
                Integer.toString(port),
                "DRIVE-LAN")
            .redirectError(
                ProcessBuilder.Redirect.appendTo(
                    new java.io.File("/tmp/probe-err-" + namespace + "-" + port + ".txt")))
            .start();
    children.add(child);
    Thread.ofVirtual()
        .start(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  lines.add(line);
                }
              } catch (IOException ignored) {
                // child killed
              }
            });
    return child;
  }

  private static String await(List<String> lines, String prefix) throws InterruptedException {
    for (int i = 0; i < 300; i++) {
      synchronized (lines) {
        for (String line : lines) {
          if (line.startsWith(prefix)) {
            return line;
          }
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no line starting with '" + prefix + "' in " + lines);
  }

  @Test
  void devicesInSeparateNamespacesFindEachOtherAndConnectOnlyToTrustedOnes() throws Exception {
    boolean canMakeNamespaces = run("ip", "netns", "add", nsA) == 0;
    assumeTrue(
        canMakeNamespaces,
        "skipped: cannot create network namespaces here (needs root and iproute2)");
    must("ip", "netns", "add", nsB);
    must(
        "ip",
        "link",
        "add",
        "gdva" + ProcessHandle.current().pid() % 10000,
        "netns",
        nsA,
        "type",
        "veth",
        "peer",
        "name",
        "gdvb" + ProcessHandle.current().pid() % 10000,
        "netns",
        nsB);
    String vethA = "gdva" + ProcessHandle.current().pid() % 10000;
    String vethB = "gdvb" + ProcessHandle.current().pid() % 10000;
    must("ip", "-n", nsA, "addr", "add", "10.77.0.1/24", "dev", vethA);
    must("ip", "-n", nsB, "addr", "add", "10.77.0.2/24", "dev", vethB);
    for (String[] nsDev : new String[][] {{nsA, vethA}, {nsB, vethB}}) {
      must("ip", "-n", nsDev[0], "link", "set", nsDev[1], "up", "multicast", "on");
      must("ip", "-n", nsDev[0], "link", "set", "lo", "up");
    }

    List<String> linesA = Collections.synchronizedList(new ArrayList<>());
    List<String> linesB = Collections.synchronizedList(new ArrayList<>());
    List<String> linesC = Collections.synchronizedList(new ArrayList<>());
    Process a = probe(nsA, "10.77.0.1", 4242, linesA);
    Process b = probe(nsB, "10.77.0.2", 4242, linesB);
    Process c = probe(nsB, "10.77.0.2", 4243, linesC); // a stranger on B's host
    String idA = await(linesA, "ME ").substring(3);
    String idB = await(linesB, "ME ").substring(3);
    String idC = await(linesC, "ME ").substring(3);
    // A and B trust each other; nobody trusts C, and C trusts nobody.
    try (Writer toA = new java.io.OutputStreamWriter(a.getOutputStream(), StandardCharsets.UTF_8);
        Writer toB = new java.io.OutputStreamWriter(b.getOutputStream(), StandardCharsets.UTF_8);
        Writer toC = new java.io.OutputStreamWriter(c.getOutputStream(), StandardCharsets.UTF_8)) {
      toA.write(idB + "\nGO\n");
      toA.flush();
      toB.write(idA + "\nGO\n");
      toB.flush();
      toC.write("GO\n");
      toC.flush();
      String aSawB = await(linesA, "FOUND " + idB);
      assertTrue(aSawB.contains(" DRIVE-LAN true ") && aSawB.contains("10.77.0.2"), aSawB);
      await(linesA, "CONNECTED " + idB);
      await(linesB, "CONNECTED " + idA);
      String aSawC = await(linesA, "FOUND " + idC);
      assertTrue(
          aSawC.contains(" DRIVE-LAN false "), "A lists C as discovered but untrusted: " + aSawC);
      String cSawA = await(linesC, "FOUND " + idA);
      assertTrue(cSawA.contains(" false "), cSawA);
      synchronized (linesA) {
        assertTrue(
            linesA.stream().noneMatch(l -> l.startsWith("CONNECTED " + idC)),
            "A must not connect to an untrusted device: " + linesA);
      }
      synchronized (linesC) {
        assertTrue(
            linesC.stream().noneMatch(l -> l.startsWith("CONNECTED")),
            "C connects to nobody: " + linesC);
      }
    }
  }
}
