package org.gossipdrive.fs.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --home}, defaulting to {@code GOSSIPDRIVE_HOME}, then {@code ~/.gossipdrive}. */
final class HomeOption {
  @Option(
      names = "--home",
      paramLabel = "DIR",
      description = "device home directory (default: $GOSSIPDRIVE_HOME or ~/.gossipdrive)")
  Path home;

  Home resolve() {
    if (home != null) {
      return new Home(home);
    }
    String env = System.getenv("GOSSIPDRIVE_HOME");
    return new Home(
        env != null && !env.isBlank()
            ? Path.of(env)
            : Path.of(System.getProperty("user.home"), ".gossipdrive"));
  }
}
