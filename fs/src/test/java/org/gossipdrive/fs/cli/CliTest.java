package org.gossipdrive.fs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.gossipdrive.net.trust.TrustStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end: init, invite and join between two homes on loopback. */
class CliTest {
  @TempDir Path alice;
  @TempDir Path bob;

  /** Runs the CLI in-process with {@code stdin} as its standard input, capturing what it prints. */
  private static String[] runWithInput(String stdin, int expectedStatus, String... args) {
    java.io.InputStream in = System.in;
    try {
      System.setIn(new java.io.ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
      return run(expectedStatus, args);
    } finally {
      System.setIn(in);
    }
  }

  /** Runs the CLI in-process, capturing what it prints. */
  private static String[] run(int expectedStatus, String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
      assertEquals(
          expectedStatus,
          Main.run(args),
          () -> "exit status of " + String.join(" ", args) + ": " + stderr);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    return new String[] {
      stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8)
    };
  }

  @Test
  void initInviteAndJoinMakeTwoDevicesTrustEachOther() throws Exception {
    inviteAndJoin(false);
  }

  /** The token kept out of the command line, where every local user could read it (F8). */
  @Test
  void joinReadsTheTokenFromStandardInput() throws Exception {
    inviteAndJoin(true);
  }

  private void inviteAndJoin(boolean tokenOnStdin) throws Exception {
    String init = run(0, "init", "--home", alice.toString(), "--name", "alice")[0];
    assertTrue(init.contains("drive  "), init);
    // the inviter blocks until the token is used, so it runs beside the joiner
    ByteArrayOutputStream inviterOut = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(inviterOut, true, StandardCharsets.UTF_8));
    CompletableFuture<Integer> inviter;
    String token;
    try {
      inviter =
          CompletableFuture.supplyAsync(
              () ->
                  Main.run(
                      "invite",
                      "--home",
                      alice.toString(),
                      "--listen",
                      "127.0.0.1:0",
                      "--valid",
                      "PT2M"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!inviterOut.toString(StandardCharsets.UTF_8).contains("gd1.")
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      token =
          inviterOut
              .toString(StandardCharsets.UTF_8)
              .lines()
              .filter(l -> l.startsWith("gd1."))
              .findFirst()
              .orElseThrow();
      String joined =
          tokenOnStdin
              ? runWithInput(
                  token + "\n", 0, "join", "--home", bob.toString(), "--name", "bob", "--no-up")[0]
              : run(0, "join", "--home", bob.toString(), "--name", "bob", "--no-up", token)[0];
      assertTrue(joined.contains("Joined drive"), joined);
      assertEquals(0, inviter.get(20, TimeUnit.SECONDS));
    } finally {
      System.setOut(original);
    }
    assertTrue(inviterOut.toString(StandardCharsets.UTF_8).contains("joined drive"));
    assertEquals(TrustStore.open(alice).current(), TrustStore.open(bob).current());
    String json = run(0, "id", "--home", bob.toString(), "--json")[0];
    assertTrue(json.contains("\"name\":\"alice\"") && json.contains("\"name\":\"bob\""), json);
  }

  @Test
  void aHandEditedDeviceNameWithAControlCharacterIsRefusedInOneLine() throws Exception {
    run(0, "init", "--home", alice.toString(), "--name", "alice");
    java.nio.file.Files.writeString(alice.resolve("device.name"), "alice\u001b[2J\n");
    String[] refused = run(1, "id", "--home", alice.toString());
    assertTrue(refused[1].startsWith("error: ") && refused[1].contains("device.name"), refused[1]);
    assertFalse(refused[1].contains("\u001b"), "the name itself reached the terminal");
    assertFalse(refused[1].contains("\tat "), "no stack trace");
  }

  @Test
  void expectedErrorsAreOneLineWithoutStackTraces() {
    String[] notInitialised = run(1, "id", "--home", alice.toString());
    assertTrue(
        notInitialised[1].startsWith("error: ") && notInitialised[1].contains("not initialised"),
        notInitialised[1]);
    assertFalse(notInitialised[1].contains("\tat "), "no stack trace");
    String[] garbage = run(1, "join", "--home", bob.toString(), "not-a-token");
    assertTrue(
        garbage[1].contains("not a GossipDrive invitation") && garbage[1].contains("[malformed]"),
        garbage[1]);
    assertTrue(TrustStore.open(bob).current().isEmpty(), "a refused join changes nothing");
    String[] piped = runWithInput("not-a-token\n", 1, "join", "--home", bob.toString(), "-");
    assertTrue(
        piped[1].startsWith("error: ") && piped[1].contains("[malformed]"), "stdin: " + piped[1]);
    assertFalse(piped[1].contains("\tat "), "no stack trace");
    String[] damaged = runWithInput("gd1.AAAA-not-base64!\n", 1, "join", "--home", bob.toString());
    assertTrue(damaged[1].contains("damaged") && damaged[1].contains("[tampered]"), damaged[1]);
    String[] none = runWithInput("", 1, "join", "--home", bob.toString());
    assertTrue(none[1].contains("no invitation token given"), none[1]);
    assertTrue(TrustStore.open(bob).current().isEmpty(), "a refused join changes nothing");
    String[] usage = run(2, "invite", "--listen", "nonsense");
    assertTrue(usage[1].contains("HOST:PORT"), usage[1]);
  }

  @Test
  void upReadsTheConfigFileAndRefusesBadSettingsInOneLine() throws Exception {
    run(0, "init", "--home", alice.toString(), "--name", "alice");
    Path config = alice.resolve("config");
    String written = java.nio.file.Files.readString(config);
    for (String key : ConfigFile.KEYS.keySet()) {
      assertTrue(written.contains("\n" + key + " = "), "init documents " + key + ":\n" + written);
    }
    java.nio.file.Files.writeString(config, "lock-lease = soon\n");
    String[] badValue = run(1, "up", "--home", alice.toString());
    assertEquals(
        "error: in " + config + ", lock-lease: 'soon' is not an ISO-8601 duration such as PT30S",
        badValue[1].strip());
    java.nio.file.Files.writeString(config, "lock-lease = PT1M\nlisten = 127.0.0.1:x\n");
    String[] badListen = run(1, "up", "--home", alice.toString());
    assertTrue(badListen[1].contains(config + ", listen: 'x' is not a port number"), badListen[1]);
    String[] optionWins = run(1, "up", "--home", alice.toString(), "--listen", "127.0.0.1:nope");
    assertTrue(optionWins[1].contains("--listen: 'nope' is not a port number"), optionWins[1]);
    java.nio.file.Files.writeString(config, "lisen = 127.0.0.1:7733\n");
    String[] typo = run(1, "up", "--home", alice.toString());
    assertTrue(typo[1].contains("unknown key 'lisen'"), typo[1]);
    java.nio.file.Files.writeString(config, "lock-companions = {name}@, no-placeholder\n");
    String[] badPattern = run(1, "up", "--home", alice.toString());
    assertTrue(badPattern[1].contains("must contain {name}"), badPattern[1]);
    assertFalse(java.nio.file.Files.exists(alice.resolve("daemon.json")), "nothing started");
  }
}
