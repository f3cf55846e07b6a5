package org.gossipdrive.platform;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;

/** Finds a native library bundled in this jar for the running OS and CPU and unpacks it. */
final class NativeLibraries {
  private NativeLibraries() {}

  /** The resource folder name for this platform, e.g. {@code linux-x86_64}. */
  static String platform() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    String osPart =
        os.contains("linux")
            ? "linux"
            : os.contains("mac") ? "macos" : os.contains("win") ? "windows" : os;
    String archPart = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch;
    return osPart + "-" + archPart;
  }

  /**
   * Copies the bundled library to a private temporary file (a jar entry cannot be mapped) and
   * returns its path.
   */
  static Path extract(String fileName) {
    String resource = platform() + "/" + fileName;
    try (InputStream in = NativeLibraries.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new UnsupportedOperationException("no bundled " + fileName + " for " + platform());
      }
      Path dir =
          Files.createTempDirectory(
              "gossipdrive-native-",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Path target = dir.resolve(fileName);
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      target.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      return target;
    } catch (IOException e) {
      throw new UnsupportedOperationException("cannot unpack " + resource + ": " + e.getMessage());
    }
  }
}
