package org.gossipdrive.engine.store;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;

/**
 * Loads RocksDB's native library from one copy kept in the user's cache directory.
 *
 * <p>RocksDB's own loader writes a fresh 17 MB copy into the temp directory on every start and
 * deletes it only on a clean JVM exit: every daemon killed, crashed or stopped by a power cut left
 * one behind (this machine had collected 70 GB of them). The cached copy is written once per
 * RocksDB version, atomically, and shared by every process; if anything about it fails, RocksDB's
 * own loader is used as before.
 */
final class RocksDbLibrary {
  private static final System.Logger LOG = System.getLogger(RocksDbLibrary.class.getName());

  private RocksDbLibrary() {}

  static void load() {
    try {
      RocksDB.loadLibrary(List.of(cachedCopy().toString()));
    } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
      LOG.log(Level.DEBUG, "cached RocksDB library unusable ({0}); extracting a temporary copy", e);
      RocksDB.loadLibrary();
    }
  }

  /** The directory holding this RocksDB version's library, written there if missing. */
  static Path cachedCopy() throws IOException {
    String resource = Environment.getJniLibraryFileName("rocksdb");
    URL source = RocksDB.class.getResource("/" + resource);
    if (source == null) {
      throw new IOException("no " + resource + " in the RocksDB jar for this platform");
    }
    long size = source.openConnection().getContentLengthLong();
    Path directory = cacheRoot().resolve(jarName() + "-" + size);
    // The name RocksDB.loadLibrary(paths) looks for in each directory.
    Path library = directory.resolve(Environment.getJniLibraryFileName("rocksdbjni"));
    if (Files.isRegularFile(library) && Files.size(library) == size) {
      return directory;
    }
    Files.createDirectories(directory);
    Path partial = Files.createTempFile(directory, "partial-", ".so");
    try (InputStream in = source.openStream()) {
      Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
      Files.move(partial, library, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
    }
    return directory;
  }

  /** The RocksDB jar's file name, e.g. {@code rocksdbjni-11.8.1.jar}: one copy per version. */
  private static String jarName() {
    try {
      var location = RocksDB.class.getProtectionDomain().getCodeSource().getLocation();
      return Path.of(location.toURI()).getFileName().toString().replaceFirst("\\.jar$", "");
    } catch (java.net.URISyntaxException | RuntimeException e) {
      return "rocksdbjni";
    }
  }

  /** {@code $XDG_CACHE_HOME/gossipdrive}, else {@code ~/.cache/gossipdrive}. */
  private static Path cacheRoot() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("gossipdrive");
  }
}
