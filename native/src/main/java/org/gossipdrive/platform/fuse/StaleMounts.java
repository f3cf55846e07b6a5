package org.gossipdrive.platform.fuse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds and removes a FUSE mount left behind when a daemon died: its mount point answers every call
 * with "transport endpoint is not connected" until it is unmounted.
 */
public final class StaleMounts {
  private StaleMounts() {}

  /** Whether {@code mountPoint} is currently a mount point (Linux: per /proc/self/mountinfo). */
  public static boolean isMounted(Path mountPoint) {
    Path mountInfo = Path.of("/proc/self/mountinfo");
    if (!Files.isReadable(mountInfo)) {
      return false;
    }
    String target = escape(mountPoint.toAbsolutePath().normalize().toString());
    try {
      for (String line : Files.readAllLines(mountInfo, StandardCharsets.UTF_8)) {
        String[] fields = line.split(" ");
        if (fields.length > 4 && fields[4].equals(target)) {
          return true;
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }

  /**
   * Unmounts {@code mountPoint} lazily (whatever still uses it lets go later) and reports whether
   * it is free afterwards.
   */
  public static boolean unmount(Path mountPoint) {
    String path = mountPoint.toAbsolutePath().normalize().toString();
    List<List<String>> attempts =
        switch (FusePlatform.current()) {
          case LINUX ->
              List.of(
                  List.of("fusermount", "-u", "-z", path),
                  List.of("fusermount3", "-u", "-z", path),
                  List.of("umount", "-l", path));
          case MACOS ->
              List.of(List.of("umount", "-f", path), List.of("diskutil", "unmount", "force", path));
          default -> List.of();
        };
    for (List<String> command : attempts) {
      if (!isMounted(mountPoint) && FusePlatform.current() == FusePlatform.LINUX) {
        return true;
      }
      run(command);
    }
    return !isMounted(mountPoint);
  }

  private static void run(List<String> command) {
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      // Not installed: the next way is tried.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** /proc/self/mountinfo escapes space, tab, newline and backslash as octal. */
  private static String escape(String path) {
    return path.replace("\\", "\\134")
        .replace(" ", "\\040")
        .replace("\t", "\\011")
        .replace("\n", "\\012");
  }
}
