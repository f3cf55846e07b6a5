package org.gossipdrive.tests.drive;

import static org.gossipdrive.tests.drive.Eventually.await;
import static org.gossipdrive.tests.drive.Eventually.readOrNull;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.ReplicaOptions;
import org.gossipdrive.engine.tree.FileVersion;
import org.gossipdrive.engine.tree.VersionCodec;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.identity.DeviceIds;
import org.gossipdrive.net.identity.IdentityStore;
import org.gossipdrive.net.transport.Connection;
import org.gossipdrive.net.transport.Transport;
import org.gossipdrive.net.transport.TransportConfig;
import org.gossipdrive.net.transport.TrustPolicy;
import org.gossipdrive.net.trust.SignedRecords;
import org.gossipdrive.net.trust.TrustedSet;
import org.gossipdrive.net.wire.proto.Frame;
import org.gossipdrive.net.wire.proto.Lane;
import org.gossipdrive.net.wire.proto.RecordBatch;
import org.gossipdrive.net.wire.proto.SignedRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, item 1, with three real daemons on loopback: alice removes carol. Within 5 s carol's
 * connections are closed, every device lists her as removed, her lock no longer counts; her new
 * writes never reach alice or bob, not even relayed by a member, while her earlier ones stay in
 * history; and the trusted set from before the removal, replayed by a member over real TLS, changes
 * nothing.
 */
class RemovalTest {
  private static final Duration WITHIN = Duration.ofSeconds(5);

  @TempDir Path dir;

  @Test
  void aliceRemovesCarolAndEveryDeviceShutsHerOut() throws Exception {
    try (DaemonProcess alice = new DaemonProcess(dir.resolve("alice"), dir.resolve("alice-mnt"));
        DaemonProcess bob = new DaemonProcess(dir.resolve("bob"), dir.resolve("bob-mnt"));
        DaemonProcess carol = new DaemonProcess(dir.resolve("carol"), dir.resolve("carol-mnt"))) {
      alice.cli("init", "--name", "alice");
      alice.start();
      bob.cli("join", alice.invite(), "--name", "bob", "--no-up");
      bob.start();
      carol.cli("join", alice.invite(), "--name", "carol", "--no-up");
      carol.start();
      List<DaemonProcess> all = List.of(alice, bob, carol);
      for (DaemonProcess device : all) {
        await(
            () -> count(status(device), "\"linked\":true") == 2,
            Duration.ofSeconds(30),
            "direct links to both others from " + device.mountPoint());
      }

      // Before the removal: carol writes, everyone has it; she holds a lock alice sees.
      Files.writeString(carol.mountPoint().resolve("before.txt"), "carol, before");
      Files.writeString(carol.mountPoint().resolve("locked.txt"), "hers");
      for (DaemonProcess other : List.of(alice, bob)) {
        await(
            () ->
                "carol, before".equals(readOrNull(other.mountPoint().resolve("before.txt")))
                    && "hers".equals(readOrNull(other.mountPoint().resolve("locked.txt"))),
            Duration.ofSeconds(30),
            "carol's files on " + other.mountPoint());
      }
      carol.cli("lock", carol.mountPoint().resolve("locked.txt").toString());
      await(
          () -> locks(alice).contains("locked.txt"),
          Duration.ofSeconds(10),
          "carol's lock seen by alice");
      byte[] setBeforeRemoval = Files.readAllBytes(dir.resolve("alice/trusted-devices.bin"));
      String carolId = deviceId(carol);

      // A name that is no device is refused in one line, and changes nothing.
      Shell.Result nobody = alice.tryCli("remove", "nobody");
      assertNotEquals(0, nobody.exit());
      assertTrue(nobody.output().contains("no device named nobody"), nobody.output());
      assertFalse(nobody.output().contains("\tat "), "no stack trace: " + nobody.output());
      assertArrayEquals(
          setBeforeRemoval, Files.readAllBytes(dir.resolve("alice/trusted-devices.bin")));

      String said = alice.cli("remove", "carol");
      long removedAt = System.nanoTime();
      assertTrue(said.contains("removed carol " + carolId + " by alice"), said);

      // Within 5 s: every device, carol's own included, lists her as removed ...
      for (DaemonProcess device : all) {
        await(
            () -> removedInPeers(device, carolId),
            WITHIN,
            "carol listed as removed by " + device.mountPoint());
      }
      // ... her connections are closed (she has no link left to anyone) ...
      await(
          () -> count(status(carol), "\"linked\":true") == 0,
          WITHIN,
          "carol's connections closed; her status: " + status(carol));
      for (DaemonProcess device : List.of(alice, bob)) {
        await(
            () -> count(status(device), "\"linked\":true") == 1,
            WITHIN,
            device.mountPoint() + " linked to the other member only");
      }
      // ... and her lock no longer counts.
      await(
          () -> !locks(alice).contains("locked.txt"),
          WITHIN,
          "carol's lock dropped by alice: " + locks(alice));
      System.out.printf(
          "carol removed everywhere and cut off %d ms after alice's remove%n",
          (System.nanoTime() - removedAt) / 1_000_000);
      Shell.Result again = bob.tryCli("remove", carolId);
      assertNotEquals(0, again.exit());
      assertTrue(again.output().contains("already removed"), again.output());
      String text = bob.cli("peers");
      assertTrue(
          text.contains("carol      removed  by alice"),
          "bob's peers, as a person reads it:\n" + text);
      assertTrue(
          carol.cli("peers").contains("removed  (this device) by alice"),
          "carol is told she was removed");

      // Her new writes never reach alice or bob (they stay on her own copy).
      Files.writeString(carol.mountPoint().resolve("after.txt"), "carol, after");
      Files.writeString(carol.mountPoint().resolve("before.txt"), "carol, overwritten after");
      Thread.sleep(WITHIN.toMillis());
      for (DaemonProcess other : List.of(alice, bob)) {
        assertFalse(Files.exists(other.mountPoint().resolve("after.txt")), "on " + other);
        assertEquals(
            "carol, before",
            readOrNull(other.mountPoint().resolve("before.txt")),
            "her record from before stays, her later one is refused");
        String history = other.cli("history", other.mountPoint().resolve("before.txt").toString());
        assertTrue(history.contains("carol"), "history stays whole on " + other + ":\n" + history);
      }
      assertEquals("carol, after", readOrNull(carol.mountPoint().resolve("after.txt")));

      // The set from before the removal, replayed to alice by a member (bob's key) over TLS, and
      // re-signed by carol herself: neither changes anything.
      byte[] held = Files.readAllBytes(dir.resolve("alice/trusted-devices.bin"));
      SignedRecord old = SignedRecords.parse(setBeforeRemoval);
      DeviceIdentity carolKey = IdentityStore.forHome(dir.resolve("carol")).load().orElseThrow();
      SignedRecord oldByCarol = TrustedSet.verify(old).sign(carolKey);
      DeviceIdentity bobKey = IdentityStore.forHome(dir.resolve("bob")).load().orElseThrow();
      replay(bobKey, alice, framesOf(old, oldByCarol));
      Thread.sleep(1_000);
      assertArrayEquals(
          held,
          Files.readAllBytes(dir.resolve("alice/trusted-devices.bin")),
          "alice's set unchanged by the replay");
      assertTrue(removedInPeers(alice, carolId), "carol still removed on alice");
      assertTrue(
          alice.output().contains("who was removed from the drive"),
          "alice refused the set carol signed");
      for (DaemonProcess other : List.of(alice, bob)) {
        assertFalse(Files.exists(other.mountPoint().resolve("after.txt")), "still not on " + other);
      }
      // And carol, still running and dialling, never gets a link back.
      assertEquals(0, count(status(carol), "\"linked\":true"), status(carol));

      // Her records after the removal, relayed to alice by a member, are refused too: "after" is
      // her own signed record sequence, past the last one alice held when she removed her.
      long lastRecord = Long.parseLong(numberField(peersEntry(alice, carolId), "lastRecord"));
      assertEquals(0, carol.stop());
      List<FileVersion> later;
      try (Replica replica =
          Replica.open(dir.resolve("carol/replica"), ReplicaOptions.defaults(carolKey.id()))) {
        later = replica.recordsAfter(carolKey.id(), lastRecord, 1_000);
      }
      assertFalse(later.isEmpty(), "carol wrote after her removal");
      RecordBatch.Builder batch = RecordBatch.newBuilder();
      later.forEach(r -> batch.addRecords(ByteString.copyFrom(VersionCodec.encode(r))));
      replay(bobKey, alice, List.of(Frame.newBuilder().setRecordBatch(batch).build()));
      await(
          () ->
              alice.output().contains("was removed from the drive after its record #" + lastRecord),
          WITHIN,
          "alice refusing carol's later records relayed by bob");
      assertFalse(Files.exists(alice.mountPoint().resolve("after.txt")), "never on alice");
      assertEquals("carol, before", readOrNull(alice.mountPoint().resolve("before.txt")));
    }
  }

  private static List<Frame> framesOf(SignedRecord... sets) {
    return java.util.Arrays.stream(sets)
        .map(set -> Frame.newBuilder().setTrustedSet(set).build())
        .toList();
  }

  /** Connects to {@code target} over TLS as {@code member} and sends {@code frames}. */
  private static void replay(DeviceIdentity member, DaemonProcess target, List<Frame> frames)
      throws Exception {
    String drive = field(status(target), "drive");
    InetSocketAddress address = hostPort(field(status(target), "listen"));
    try (Transport transport =
        new Transport(
            member,
            drive,
            "bob",
            TrustPolicy.of(id -> false),
            TransportConfig.defaults(),
            (connection, frame) -> {})) {
      Connection connection =
          transport.connect(
              address, DeviceIds.parse(field(status(target), "device")), Lane.CONTROL);
      for (Frame frame : frames) {
        connection.send(frame);
      }
      Thread.sleep(500);
      connection.close("replay sent");
    }
  }

  private static boolean removedInPeers(DaemonProcess device, String id) {
    return peersEntry(device, id).contains("\"state\":\"removed\"");
  }

  /** The device's entry in {@code device}'s peer list (empty when absent). */
  private static String peersEntry(DaemonProcess device, String id) {
    try {
      String peers = device.api("GET", "/api/peers").body();
      int at = peers.indexOf("\"id\":\"" + id + "\"");
      return at < 0 ? "" : peers.substring(at, peers.indexOf('}', at));
    } catch (IOException | InterruptedException e) {
      return "";
    }
  }

  private static String numberField(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
    assertTrue(m.find(), name + " in " + json);
    return m.group(1);
  }

  private static String locks(DaemonProcess device) {
    try {
      return device.api("GET", "/api/locks").body();
    } catch (IOException | InterruptedException e) {
      return "";
    }
  }

  private static String status(DaemonProcess device) {
    try {
      return device.api("GET", "/api/status").body();
    } catch (IOException | InterruptedException e) {
      return "";
    }
  }

  private static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
    assertTrue(m.find(), name + " in " + json);
    return m.group(1);
  }

  private static String deviceId(DaemonProcess device) {
    return field(status(device), "device");
  }

  private static InetSocketAddress hostPort(String text) {
    int colon = text.lastIndexOf(':');
    return new InetSocketAddress(
        text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      n++;
    }
    return n;
  }
}
