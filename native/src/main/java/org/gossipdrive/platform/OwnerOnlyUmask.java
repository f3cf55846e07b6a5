package org.gossipdrive.platform;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import java.util.Optional;

/**
 * Sets the process umask to 077, so every file this process creates, including those RocksDB and
 * the JDK's log handler create with 0644, is 0600 (ADR 32). Java has no umask call; libc's is
 * reached through the FFM API. The 0700 home is the boundary; this is the second wall.
 */
public final class OwnerOnlyUmask {
  private static final int OWNER_ONLY = 0077;

  private OwnerOnlyUmask() {}

  /**
   * Applies it on Linux and macOS; elsewhere (Windows has no umask) or if libc cannot be reached,
   * returns why not, and the 0700 directories still stand.
   */
  public static Optional<String> apply() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    // mode_t is 32 bits on Linux, 16 on macOS.
    ValueLayout mode;
    if (os.contains("linux")) {
      mode = ValueLayout.JAVA_INT;
    } else if (os.contains("mac")) {
      mode = ValueLayout.JAVA_SHORT;
    } else {
      return Optional.of("no umask on " + os);
    }
    try {
      Linker linker = Linker.nativeLinker();
      MethodHandle umask =
          linker.downcallHandle(
              linker.defaultLookup().find("umask").orElseThrow(),
              FunctionDescriptor.of(mode, mode));
      if (mode == ValueLayout.JAVA_INT) {
        int previous = (int) umask.invokeExact(OWNER_ONLY);
      } else {
        short previous = (short) umask.invokeExact((short) OWNER_ONLY);
      }
      return Optional.empty();
    } catch (Throwable e) {
      return Optional.of("cannot set the umask: " + e);
    }
  }
}
