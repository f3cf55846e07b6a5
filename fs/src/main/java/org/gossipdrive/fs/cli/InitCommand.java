package org.gossipdrive.fs.cli;

import java.util.concurrent.Callable;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.trust.TrustStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "init",
    description = "Create this device's identity and a new, empty drive.",
    mixinStandardHelpOptions = true)
final class InitCommand implements Callable<Integer> {
  @Mixin HomeOption homeOption;

  @Option(
      names = "--name",
      description = "a name for this device, shown to peers (default: host name)")
  String name;

  @Override
  public Integer call() throws java.io.IOException {
    Home home = homeOption.resolve();
    PrivateHome.close(home.directory());
    DeviceIdentity identity = home.identityNamed(name);
    ConfigFile.writeDefaults(home.directory());
    TrustStore trust = home.trust();
    if (trust.driveId().isPresent()) {
      System.out.println(
          "already initialised: device " + identity.id() + " in drive " + trust.driveId().get());
      return 0;
    }
    String drive = Home.newDriveId();
    trust.found(drive, identity, home.name());
    System.out.println(home.deviceLine(identity));
    System.out.println("drive  " + drive);
    System.out.println("home   " + home.directory());
    System.out.println("config " + home.directory().resolve(ConfigFile.NAME));
    return 0;
  }
}
