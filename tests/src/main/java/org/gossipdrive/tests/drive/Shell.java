package org.gossipdrive.tests.drive;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs tools in child processes (what applications do to the drive), failing on a non-zero exit.
 */
public final class Shell {
  private Shell() {}

  public record Result(int exit, String output) {}

  public static Result run(Path directory, List<String> command)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(10, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }

  /** Runs {@code command} and returns its output, failing (AssertionError) if it exits non-zero. */
  public static String ok(Path directory, String... command)
      throws IOException, InterruptedException {
    Result result = run(directory, List.of(command));
    if (result.exit() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed:\n" + result.output());
    }
    return result.output();
  }

  /** Runs a Python 3 program (it has every syscall the drive must answer) in {@code directory}. */
  public static String python(Path directory, String program)
      throws IOException, InterruptedException {
    return ok(directory, "python3", "-c", program);
  }

  public static String sh(Path directory, String script) throws IOException, InterruptedException {
    return ok(directory, "bash", "-euo", "pipefail", "-c", script);
  }
}
