package org.gossipdrive.fs.cli;

import java.time.Clock;
import java.util.concurrent.Callable;
import org.gossipdrive.fs.daemon.KnownPeers;
import org.gossipdrive.fs.daemon.TerminalText;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.invite.Invitation;
import org.gossipdrive.net.invite.InvitationException;
import org.gossipdrive.net.invite.Joiner;
import org.gossipdrive.net.transport.TransportConfig;
import org.gossipdrive.net.trust.TrustedSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "join",
    description =
        "Join a drive with an invitation token (creates this device's identity and config if"
            + " needed), then run the drive as `up` does unless --no-up. The token is read from"
            + " standard input or a prompt when not given.",
    mixinStandardHelpOptions = true)
final class JoinCommand implements Callable<Integer> {
  @Mixin HomeOption homeOption;

  @Option(
      names = "--name",
      description = "a name for this device, shown to peers (default: host name)")
  String name;

  @Parameters(
      paramLabel = "TOKEN",
      arity = "0..1",
      description = {
        "the token printed by 'gossipdrive invite'. Leave it out (or give -) to type it at a"
            + " prompt that does not echo, or to pass it on standard input:"
            + " gossipdrive join < token-file.",
        "Given here, it is visible to every local user (the process list) while join runs."
      })
  String tokenArgument;

  @Option(
      names = "--up",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "then start the drive with this home's settings, as `gossipdrive up` does (default; "
              + "--no-up only joins)")
  boolean up;

  @Override
  public Integer call() {
    // Read before anything in the home changes: no token, nothing written.
    String token = TokenInput.read(tokenArgument);
    Home home = homeOption.resolve();
    PrivateHome.close(home.directory());
    DeviceIdentity identity = home.identityNamed(name);
    try {
      ConfigFile.writeDefaults(home.directory());
    } catch (java.io.IOException e) {
      throw new CliException(
          "cannot write " + home.directory().resolve(ConfigFile.NAME) + ": " + e.getMessage());
    }
    try {
      TrustedSet set =
          new Joiner(
                  identity,
                  home.name(),
                  home.trust(),
                  TransportConfig.defaults(),
                  Clock.systemUTC())
              .join(token);
      // The daemon dials the inviter where the invitation said it listens.
      Invitation invitation = Invitation.parse(token.strip());
      new KnownPeers(home.directory()).remember(invitation.inviter(), invitation.addresses());
      System.out.println(
          "Joined drive "
              + set.driveId()
              + " as "
              + identity.id()
              + " ("
              + TerminalText.escape(home.name())
              + ").");
      set.members()
          .forEach(
              m ->
                  System.out.println(
                      "trusts " + m.id() + " (" + TerminalText.escape(m.name()) + ")"));
      if (!up) {
        System.out.println("Start syncing with: gossipdrive up --home " + home.directory());
        return 0;
      }
      System.out.flush();
      return Main.run("up", "--home", home.directory().toString());
    } catch (InvitationException e) {
      throw new CliException(
          e.getMessage()
              + " ["
              + e.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
              + "]");
    }
  }
}
