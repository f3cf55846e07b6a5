package org.gossipdrive.fs.cli;

import java.util.concurrent.Callable;
import org.gossipdrive.fs.daemon.Json;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.trust.TrustedSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "id",
    description = "Show this device's id, its drive and the trusted devices.",
    mixinStandardHelpOptions = true)
final class IdCommand implements Callable<Integer> {
  @Mixin HomeOption homeOption;

  @Option(names = "--json", description = "print JSON")
  boolean json;

  @Override
  public Integer call() {
    Home home = homeOption.resolve();
    DeviceIdentity identity = home.requireIdentity();
    var trusted = home.trust().current();
    if (json) {
      StringBuilder out =
          new StringBuilder("{\"device\":")
              .append(Json.quote(identity.id().value()))
              .append(",\"name\":")
              .append(Json.quote(home.name()))
              .append(",\"drive\":")
              .append(trusted.map(t -> Json.quote(t.driveId())).orElse("null"))
              .append(",\"trusted\":[");
      trusted.ifPresent(
          t -> {
            String sep = "";
            for (TrustedSet.Member m : t.members()) {
              out.append(sep)
                  .append("{\"id\":")
                  .append(Json.quote(m.id().value()))
                  .append(",\"name\":")
                  .append(Json.quote(m.name()))
                  .append('}');
              sep = ",";
            }
          });
      System.out.println(
          org.gossipdrive.fs.daemon.TerminalText.escapeKeepingLines(out.append("]}").toString()));
      return 0;
    }
    System.out.println(home.deviceLine(identity));
    System.out.println(
        "drive  "
            + trusted
                .map(TrustedSet::driveId)
                .orElse("(none yet: init, or join with an invitation)"));
    trusted.ifPresent(
        t ->
            t.members()
                .forEach(
                    m ->
                        System.out.println(
                            "trusts "
                                + m.id()
                                + " ("
                                + org.gossipdrive.fs.daemon.TerminalText.escape(m.name())
                                + ")")));
    return 0;
  }
}
