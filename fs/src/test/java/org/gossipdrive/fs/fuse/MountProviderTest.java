package org.gossipdrive.fs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider each system gets and the options each hands jfuse. macOS and Windows cannot be
 * mounted here: these tests pin their choices, not that the choices work.
 */
class MountProviderTest {
  private static final Predicate<Path> NOTHING_INSTALLED = path -> false;

  @TempDir Path dir;

  @Test
  void linuxAndUnknownSystemsGetLibfuse3() {
    assertInstanceOf(
        LinuxLibfuse3.class, MountProvider.forSystem("Linux", "amd64", Map.of(), path -> true));
    assertInstanceOf(
        LinuxLibfuse3.class, MountProvider.forSystem("FreeBSD", "amd64", Map.of(), path -> true));
    assertInstanceOf(
        LinuxLibfuse3.class,
        MountProvider.forSystem("Linux", "amd64", Map.of("GOSSIPDRIVE_FUSE", "fuse-t"), p -> true));
    assertTrue(new LinuxLibfuse3().tested());
    assertTrue(new LinuxLibfuse3().listsMounts());
  }

  @Test
  void macOsPrefersMacFuseAndFallsBackToFuseT() {
    var macFuse = MountProvider.forSystem("Mac OS X", "aarch64", Map.of(), NOTHING_INSTALLED);
    assertEquals(new MacFuse(MacFuse.Kind.MACFUSE, MacFuse.Kind.MACFUSE.library()), macFuse);
    Set<Path> onlyFuseT = Set.of(MacFuse.Kind.FUSE_T.library());
    assertEquals(
        MacFuse.Kind.FUSE_T,
        ((MacFuse) MountProvider.forSystem("Mac OS X", "aarch64", Map.of(), onlyFuseT::contains))
            .kind());
    Set<Path> both = Set.of(MacFuse.Kind.MACFUSE.library(), MacFuse.Kind.FUSE_T.library());
    assertEquals(
        MacFuse.Kind.MACFUSE,
        ((MacFuse) MountProvider.forSystem("Mac OS X", "x86_64", Map.of(), both::contains)).kind());
  }

  @Test
  void theEnvironmentChoosesTheMacFuseAndItsLibrary() {
    var fuseT =
        (MacFuse)
            MountProvider.forSystem(
                "Mac OS X", "aarch64", Map.of("GOSSIPDRIVE_FUSE", "FUSE-T"), NOTHING_INSTALLED);
    assertEquals(MacFuse.Kind.FUSE_T, fuseT.kind());
    assertEquals(Path.of("/usr/local/lib/libfuse-t.dylib"), fuseT.library());
    var custom =
        (MacFuse)
            MountProvider.forSystem(
                "Mac OS X",
                "aarch64",
                Map.of(
                    "GOSSIPDRIVE_FUSE",
                    "macfuse",
                    "GOSSIPDRIVE_FUSE_LIBRARY",
                    "/opt/homebrew/lib/libfuse.2.dylib"),
                path -> true);
    assertEquals(MacFuse.Kind.MACFUSE, custom.kind());
    assertEquals(Path.of("/opt/homebrew/lib/libfuse.2.dylib"), custom.library());
  }

  @Test
  void windowsGetsWinFspForItsArchitecture() {
    var x64 = (WinFsp) MountProvider.forSystem("Windows 11", "amd64", Map.of(), NOTHING_INSTALLED);
    assertEquals("C:\\Program Files (x86)\\WinFsp\\bin\\winfsp-x64.dll", x64.library().toString());
    var arm = (WinFsp) MountProvider.forSystem("Windows 11", "aarch64", Map.of(), path -> false);
    assertEquals("C:\\Program Files (x86)\\WinFsp\\bin\\winfsp-a64.dll", arm.library().toString());
    assertFalse(x64.tested());
    assertFalse(x64.listsMounts());
  }

  @Test
  void linuxOptionsAreThoseMeasured() {
    assertEquals(
        List.of(
            "-ofsname=gossipdrive-dev_1,subtype=gossipdrive",
            "-odefault_permissions",
            "-oattr_timeout=1,entry_timeout=1,negative_timeout=0"),
        new LinuxLibfuse3().mountOptions("dev,1"));
  }

  @Test
  void macOptions() {
    var macFuse = new MacFuse(MacFuse.Kind.MACFUSE, MacFuse.Kind.MACFUSE.library());
    assertEquals(
        List.of(
            "-ofsname=gossipdrive-dev_1,volname=GossipDrive",
            "-odefault_permissions",
            "-onoappledouble",
            "-ohard_remove",
            "-oauto_cache",
            "-oattr_timeout=1,entry_timeout=1,negative_timeout=0"),
        macFuse.mountOptions("dev,1"));
    var fuseT = new MacFuse(MacFuse.Kind.FUSE_T, MacFuse.Kind.FUSE_T.library());
    assertEquals(List.of("-ovolname=GossipDrive"), fuseT.mountOptions("dev"));
  }

  @Test
  void winFspOptions() {
    assertEquals(
        List.of(
            "-ouid=-1,gid=-1",
            "-ovolname=GossipDrive",
            "-oFileSystemName=GossipDrive",
            "-oFileInfoTimeout=1000,DirInfoTimeout=1000"),
        winFsp(letter -> false).mountOptions("dev"));
  }

  @Test
  void aFreeDriveLetterIsAWindowsMountPoint() throws Exception {
    WinFsp winFsp = winFsp(letter -> letter.equals("C:"));
    for (String letter : List.of("G:", "g:", "G:\\", "G:/")) {
      winFsp.requireUsable(Path.of(letter));
      assertEquals(Path.of("G:"), winFsp.mountPoint(Path.of(letter)), letter);
    }
    var taken = assertThrows(MountException.class, () -> winFsp.requireUsable(Path.of("c:")));
    assertEquals(
        "drive C: is already in use: choose a free letter (--mount G:)", taken.getMessage());
    assertFalse(WinFsp.isDriveLetter(Path.of("GG:")));
    assertFalse(WinFsp.isDriveLetter(Path.of("1:")));
    assertFalse(WinFsp.isDriveLetter(Path.of("G:\\drive")));
  }

  @Test
  void aWindowsDirectoryMountPointIsOneWinFspCanCreate() throws Exception {
    WinFsp winFsp = winFsp(letter -> false);
    winFsp.requireUsable(dir.resolve("absent")); // WinFsp creates it
    Path empty = Files.createDirectory(dir.resolve("empty"));
    winFsp.requireUsable(empty);
    winFsp.prepare(empty);
    assertFalse(Files.exists(empty), "an empty directory is removed for WinFsp to create");
    Files.writeString(Files.createDirectory(dir.resolve("full")).resolve("a"), "a");
    assertThrows(MountException.class, () -> winFsp.requireUsable(dir.resolve("full")));
    assertThrows(MountException.class, () -> winFsp.requireUsable(dir.resolve("full/a")));
    var orphan =
        assertThrows(MountException.class, () -> winFsp.requireUsable(dir.resolve("no/parent")));
    assertTrue(orphan.getMessage().contains("create " + dir.resolve("no")), orphan.getMessage());
  }

  @Test
  void linuxAndMacMountOverAnEmptyDirectory() throws Exception {
    var macFuse = new MacFuse(MacFuse.Kind.MACFUSE, MacFuse.Kind.MACFUSE.library());
    for (MountProvider provider : List.of(new LinuxLibfuse3(), macFuse)) {
      Path empty = Files.createTempDirectory(dir, "point");
      provider.requireUsable(empty);
      provider.prepare(empty);
      assertTrue(Files.isDirectory(empty), "the directory stays");
      Files.writeString(empty.resolve("a"), "a");
      var full = assertThrows(MountException.class, () -> provider.requireUsable(empty));
      assertEquals("mount point " + empty + " is not empty", full.getMessage());
      var absent =
          assertThrows(MountException.class, () -> provider.requireUsable(dir.resolve("absent")));
      assertTrue(absent.getMessage().endsWith("is not a directory"), absent.getMessage());
    }
  }

  @Test
  void aMissingLibraryIsNamedWithWhereToGetIt() {
    Path absent = dir.resolve("libfuse.2.dylib");
    var macFuse =
        assertThrows(MountException.class, () -> new MacFuse(MacFuse.Kind.MACFUSE, absent).load());
    assertTrue(macFuse.getMessage().startsWith("macFUSE is not installed (no " + absent + ")"));
    assertTrue(macFuse.getMessage().contains("https://macfuse.github.io"));
    assertTrue(macFuse.getMessage().contains("GOSSIPDRIVE_FUSE=fuse-t"));
    var fuseT =
        assertThrows(MountException.class, () -> new MacFuse(MacFuse.Kind.FUSE_T, absent).load());
    assertTrue(fuseT.getMessage().startsWith("FUSE-T is not installed"));
    assertTrue(fuseT.getMessage().contains("https://www.fuse-t.org"));
    var winFsp =
        assertThrows(
            MountException.class,
            () -> new WinFsp(dir.resolve("winfsp-x64.dll"), letter -> false).load());
    assertTrue(winFsp.getMessage().startsWith("WinFsp is not installed"));
    assertTrue(winFsp.getMessage().contains("https://winfsp.dev/rel/"));
    assertTrue(new LinuxLibfuse3().missingLibrary().contains("apt-get install -y fuse3"));
  }

  @Test
  void anInstalledLibraryLoadsWithoutTheLinuxExtras() throws Exception {
    Path library = Files.writeString(dir.resolve("libfuse-t.dylib"), "");
    var loaded = new MacFuse(MacFuse.Kind.FUSE_T, library).load();
    assertEquals(library.toString(), loaded.path());
    assertEquals(FuseRequests.anonymous(), loaded.requests());
    assertTrue(loaded.requests().invalidator().isEmpty());
    assertEquals(0, loaded.requests().caller().pid());
  }

  private static WinFsp winFsp(Predicate<String> driveInUse) {
    return new WinFsp(Path.of("winfsp-x64.dll"), driveInUse);
  }
}
