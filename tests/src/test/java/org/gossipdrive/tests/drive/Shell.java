package org.gossipdrive.tests.drive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs tools in child processes (what applications do to the drive), failing on a non-zero exit.
 */
final class Shell {
  private Shell() {}

  record Result(int exit, String output) {}

  static Result run(Path directory, List<String> command) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(10, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }

  /** Runs {@code command} and returns its output, failing the test if it exits non-zero. */
  static String ok(Path directory, String... command) throws IOException, InterruptedException {
    Result result = run(directory, List.of(command));
    assertEquals(
        0, result.exit(), () -> String.join(" ", command) + " failed:\n" + result.output());
    return result.output();
  }

  /** Runs a Python 3 program (it has every syscall the drive must answer) in {@code directory}. */
  static String python(Path directory, String program) throws IOException, InterruptedException {
    return ok(directory, "python3", "-c", program);
  }

  static String sh(Path directory, String script) throws IOException, InterruptedException {
    return ok(directory, "bash", "-euo", "pipefail", "-c", script);
  }
}
