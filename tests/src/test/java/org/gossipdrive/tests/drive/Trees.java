package org.gossipdrive.tests.drive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** Compares two directory trees: the same paths, types and bytes. */
final class Trees {
  private Trees() {}

  static boolean identical(Path left, Path right) {
    try {
      List<String> names = relativePaths(left);
      if (!names.equals(relativePaths(right))) {
        return false;
      }
      for (String name : names) {
        Path a = left.resolve(name);
        Path b = right.resolve(name);
        if (Files.isDirectory(a) != Files.isDirectory(b)) {
          return false;
        }
        if (Files.isRegularFile(a)
            && (Files.size(a) != Files.size(b)
                || !Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(b)))) {
          return false;
        }
      }
      return true;
    } catch (IOException | java.io.UncheckedIOException e) {
      return false;
    }
  }

  private static List<String> relativePaths(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.map(p -> root.relativize(p).toString()).sorted().toList();
    }
  }
}
