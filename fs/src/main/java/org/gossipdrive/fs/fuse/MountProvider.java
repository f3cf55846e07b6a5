package org.gossipdrive.fs.fuse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One operating system's FUSE library under the jfuse adapter (ADR 31): which library jfuse loads,
 * the mount options, what a usable mount point is there, and what to tell a user whose library is
 * missing. The adapter is the same for all of them; only this differs.
 *
 * <p>Only {@link LinuxLibfuse3} has ever run. {@link MacFuse} (macFUSE, FUSE-T) and {@link WinFsp}
 * compile and are unit-tested for their choices, but no mount of theirs has been tried: the project
 * has no Mac and no Windows machine.
 */
sealed interface MountProvider permits LinuxLibfuse3, MacFuse, WinFsp {
  /** Picks the binding ({@code jnr-fuse}, {@code jfuse}, ADR 27) or a provider by name. */
  String SELECT = "GOSSIPDRIVE_FUSE";

  /** Points a macOS or Windows provider at a library installed somewhere unusual. */
  String LIBRARY = "GOSSIPDRIVE_FUSE_LIBRARY";

  /** The library jfuse is given, and what the adapter reaches of it beyond jfuse. */
  record Library(String path, FuseRequests requests) {}

  /** The provider's name in messages and logs. */
  String displayName();

  /** Whether the project has mounted through it: only Linux has. */
  default boolean tested() {
    return false;
  }

  /**
   * Why no mount can work here before anything is loaded (Linux: {@code /dev/fuse}), as one line,
   * or empty. Empty by default: {@link #load} names a missing library.
   */
  default Optional<String> missingPrerequisite() {
    return Optional.empty();
  }

  /**
   * Loads the library.
   *
   * @throws MountException with {@link #missingLibrary()} when it is not installed
   */
  Library load();

  /** One line naming what to install when the library is missing. */
  String missingLibrary();

  /** Where this system's {@code open(2)} flags keep O_EXCL and O_TRUNC. */
  PlatformFlags flags();

  /** The options handed to jfuse's mount for the drive named {@code name}. */
  List<String> mountOptions(String name);

  /** The mount point in the form this platform mounts at (a Windows drive letter stays "G:"). */
  default Path mountPoint(Path requested) {
    return requested.toAbsolutePath().normalize();
  }

  /**
   * Refuses a mount point that cannot be mounted at, before the daemon starts anything else: by
   * default anything but an existing empty directory.
   *
   * @throws MountException naming the problem
   */
  default void requireUsable(Path mountPoint) throws IOException {
    requireEmptyDirectory(mountPoint);
  }

  /** Readies a checked mount point just before the mount (WinFsp creates its own directory). */
  default void prepare(Path mountPoint) throws IOException {}

  /**
   * Whether the system's mount table shows our mounts ({@code /proc/self/mountinfo}, Linux): only
   * then can a stale mount be found and the new one be waited for there. Elsewhere jfuse's own
   * mount waits until the file system answers.
   */
  boolean listsMounts();

  /**
   * A library that is one file at a known place, with none of libfuse 3's extra calls (macOS,
   * Windows).
   *
   * @throws MountException with {@link #missingLibrary()} when the file is not there
   */
  static Library libraryFile(Path library, MountProvider provider) {
    if (!Files.exists(library)) {
      throw new MountException(provider.missingLibrary());
    }
    return new Library(library.toString(), FuseRequests.anonymous());
  }

  /** The provider for this machine: its {@code os.name}, {@code os.arch} and environment. */
  static MountProvider current() {
    return forSystem(
        System.getProperty("os.name", ""),
        System.getProperty("os.arch", ""),
        System.getenv(),
        Files::exists);
  }

  /**
   * The provider for a system: Linux (and any system not named below) gets libfuse 3 as today;
   * macOS gets macFUSE, or FUSE-T where only FUSE-T is installed or {@code GOSSIPDRIVE_FUSE=fuse-t}
   * asks for it; Windows gets WinFsp.
   */
  static MountProvider forSystem(
      String osName, String osArch, Map<String, String> env, Predicate<Path> exists) {
    String os = osName.toLowerCase(Locale.ROOT);
    String asked = env.getOrDefault(SELECT, "").toLowerCase(Locale.ROOT);
    Optional<Path> library =
        Optional.ofNullable(env.get(LIBRARY)).filter(s -> !s.isBlank()).map(Path::of);
    if (os.contains("mac") || os.contains("darwin")) {
      MacFuse.Kind kind =
          switch (asked) {
            case "fuse-t" -> MacFuse.Kind.FUSE_T;
            case "macfuse" -> MacFuse.Kind.MACFUSE;
            default ->
                !exists.test(MacFuse.Kind.MACFUSE.library())
                        && exists.test(MacFuse.Kind.FUSE_T.library())
                    ? MacFuse.Kind.FUSE_T
                    : MacFuse.Kind.MACFUSE;
          };
      return new MacFuse(kind, library.orElse(kind.library()));
    }
    if (os.contains("windows")) {
      return new WinFsp(library.orElse(WinFsp.defaultLibrary(osArch)), WinFsp::driveInUse);
    }
    return new LinuxLibfuse3();
  }

  /**
   * Refuses a mount point that is not an empty directory; a stale mount left by a killed daemon
   * counts as usable (mounting removes it). Linux and macOS mount over a directory.
   */
  static void requireEmptyDirectory(Path mountPoint) throws IOException {
    Path point = mountPoint.toAbsolutePath().normalize();
    if (org.gossipdrive.platform.fuse.StaleMounts.isMounted(point)) {
      return;
    }
    if (!Files.isDirectory(point)) {
      throw new MountException("mount point " + point + " is not a directory");
    }
    try (var entries = Files.list(point)) {
      if (entries.findAny().isPresent()) {
        throw new MountException("mount point " + point + " is not empty");
      }
    }
  }

  /** A drive name as one option value: a comma would start another option. */
  static String optionValue(String name) {
    return name.replace(',', '_');
  }
}
