package org.gossipdrive.fs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gossipdrive} command line. Expected failures print one line and exit 1. */
@Command(
    name = "gossipdrive",
    description = "A peer-to-peer shared drive.",
    mixinStandardHelpOptions = true,
    version = "GossipDrive 0.1",
    subcommands = {
      InitCommand.class,
      UpCommand.class,
      StatusCommand.class,
      VerifyCommand.class,
      IdCommand.class,
      InviteCommand.class,
      JoinCommand.class,
      LocksCommand.class,
      LockCommand.class,
      UnlockCommand.class,
      PeersCommand.class,
      ConflictsCommand.class,
      HistoryCommand.class,
      RestoreCommand.class,
      RenameCommand.class,
      RemoveCommand.class
    })
public final class Main implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    // Whatever this process creates is its user's alone (ADR 32). Where there is no umask the
    // 0700 directories are the whole defence, as they are for files made before this line.
    org.gossipdrive.platform.OwnerOnlyUmask.apply();
    System.exit(run(args));
  }

  /** Runs a command line and returns the exit status (for tests and the launcher). */
  public static int run(String... args) {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setExecutionExceptionHandler(
        (exception, line, parseResult) -> {
          if (exception instanceof CliException
              || exception instanceof IllegalStateException
              || exception instanceof org.gossipdrive.fs.daemon.DaemonException
              || exception instanceof org.gossipdrive.fs.fuse.MountException
              || exception instanceof org.gossipdrive.net.trust.TrustException) {
            // Messages quote names and paths; none may reach the terminal raw (ADR 37).
            System.err.println(
                "error: "
                    + org.gossipdrive.fs.daemon.TerminalText.escapeKeepingLines(
                        String.valueOf(exception.getMessage())));
            return 1;
          }
          System.err.println("error: unexpected failure: " + exception);
          if (System.getenv("GOSSIPDRIVE_DEBUG") != null) {
            exception.printStackTrace();
          } else {
            System.err.println("(set GOSSIPDRIVE_DEBUG=1 for the stack trace)");
          }
          return 3;
        });
    return commandLine.execute(args);
  }
}
