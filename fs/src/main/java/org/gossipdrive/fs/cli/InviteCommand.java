package org.gossipdrive.fs.cli;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.invite.Invitation;
import org.gossipdrive.net.invite.InvitationBook;
import org.gossipdrive.net.transport.Transport;
import org.gossipdrive.net.transport.TransportConfig;
import org.gossipdrive.net.trust.TrustStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "invite",
    description = {
      "Print a single-use invitation token for another device, then wait for it to join.",
      "With a daemon running for the home ('gossipdrive up'), the daemon issues the token and admits the device; the command returns at once.",
      "Without one, this command is the inviting side itself: keep it running until the other device has run 'gossipdrive join' with the token."
    },
    mixinStandardHelpOptions = true)
final class InviteCommand implements Callable<Integer> {
  @Mixin HomeOption homeOption;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      converter = HostPort.class,
      defaultValue = "0.0.0.0:7733",
      description = "where to accept the joining device (default: ${DEFAULT-VALUE})")
  InetSocketAddress listen;

  @Option(
      names = "--address",
      paramLabel = "HOST:PORT",
      converter = HostPort.class,
      description =
          "an address the other device can reach this one at; repeatable (default: this machine's addresses)")
  List<InetSocketAddress> addresses = new ArrayList<>();

  @Option(
      names = "--valid",
      paramLabel = "DURATION",
      defaultValue = "PT1H",
      description = "how long the token stays valid, ISO-8601 (default: ${DEFAULT-VALUE})")
  Duration validity;

  @Option(names = "--qr", description = "also draw the token as a QR code, for a phone camera")
  boolean qr;

  @Override
  public Integer call() throws Exception {
    // Captured once: this command prints from a long wait, during which System.out may be swapped.
    java.io.PrintStream out = System.out;
    Home home = homeOption.resolve();
    DeviceIdentity identity = home.requireIdentity();
    TrustStore trust = home.trust();
    String drive =
        trust
            .driveId()
            .orElseThrow(
                () ->
                    new CliException("this device belongs to no drive yet; run init, or join one"));
    if (validity.isNegative() || validity.isZero() || validity.compareTo(Duration.ofDays(7)) > 0) {
      throw new CliException("--valid must be between 1 second and 7 days");
    }
    var daemon = DaemonClient.running(home);
    if (daemon.isPresent()) {
      // The running daemon answers the join itself: nothing to wait for here.
      String[] reply =
          daemon.get().post("/api/invite?valid=" + validity, Duration.ofSeconds(10)).split("\n");
      out.println("Invitation for drive " + drive + ", valid until " + reply[1] + ", single use:");
      out.println();
      out.println(reply[0]);
      out.println();
      if (qr) {
        out.println(TerminalQr.render(reply[0]));
      }
      out.println(
          "On the other device run:  gossipdrive join   (then paste the token above at its prompt)");
      out.println("The running daemon admits it; it needs no restart.");
      return 0;
    }
    InvitationBook book =
        new InvitationBook(home.directory(), identity, home.name(), trust, Clock.systemUTC());
    try (Transport transport =
        new Transport(
            identity, drive, home.name(), trust, TransportConfig.defaults(), (c, f) -> {})) {
      transport.setJoinHandler(book);
      InetSocketAddress bound;
      try {
        bound = transport.listen(listen);
      } catch (BindException e) {
        throw new CliException(
            "cannot listen on "
                + org.gossipdrive.fs.daemon.KnownPeers.format(listen)
                + ": "
                + e.getMessage()
                + " (is another GossipDrive running? choose --listen)");
      }
      List<String> reachable = new ArrayList<>();
      for (InetSocketAddress address :
          addresses.isEmpty()
              ? org.gossipdrive.fs.daemon.ReachableAddresses.of(bound)
              : addresses) {
        reachable.add(org.gossipdrive.fs.daemon.KnownPeers.format(address));
      }
      Invitation invitation = book.issue(validity, reachable);
      out.println(
          "Invitation for drive "
              + drive
              + ", valid until "
              + invitation.expires()
              + ", single use:");
      out.println();
      out.println(invitation.toText());
      out.println();
      if (qr) {
        out.println(TerminalQr.render(invitation.toText()));
      }
      out.println(
          "On the other device run:  gossipdrive join   (then paste the token above at its prompt)");
      out.println(
          "Waiting for it on "
              + org.gossipdrive.fs.daemon.KnownPeers.format(bound)
              + " (Ctrl-C to stop)...");
      out.flush();
      while (Instant.now().isBefore(invitation.expires())) {
        var joined = book.usedBy(invitation);
        if (joined.isPresent()) {
          // The token is spent before the answer is sent; let the joiner receive its answer and
          // hang up before this process closes the connection under it.
          awaitJoinLanesClosed(transport, Duration.ofSeconds(5));
          out.println("Device " + joined.get() + " joined drive " + drive + ".");
          return 0;
        }
        Thread.sleep(100);
      }
      throw new CliException("the invitation expired unused");
    }
  }

  private static void awaitJoinLanesClosed(Transport transport, Duration limit)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline
        && transport.connections().stream()
            .anyMatch(c -> c.isOpen() && c.lane() == org.gossipdrive.net.wire.proto.Lane.JOIN)) {
      Thread.sleep(20);
    }
  }
}
