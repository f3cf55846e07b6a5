package org.gossipdrive.fs.daemon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.net.AtomicFiles;
import org.gossipdrive.net.transport.SocketAddresses;
import org.gossipdrive.net.wire.Protocol;

/**
 * Addresses where peers were last reachable, one "DEVICE-ID host:port" per line in the home's
 * {@code peers} file. Joining records the inviter's addresses, peers tell each other theirs ({@code
 * AddressGossip}); the daemon dials them at start.
 */
public final class KnownPeers {
  private static final int MAX_LINES = 10_000;
  private final Path file;

  public KnownPeers(Path home) {
    this.file = home.resolve("peers");
  }

  public synchronized Map<DeviceId, List<InetSocketAddress>> load() {
    Map<DeviceId, List<InetSocketAddress>> peers = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return peers;
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    for (String line : lines.subList(0, Math.min(lines.size(), MAX_LINES))) {
      String[] parts = line.strip().split("\\s+");
      if (parts.length != 2 || line.startsWith("#")) {
        continue;
      }
      try {
        peers
            .computeIfAbsent(new DeviceId(parts[0]), id -> new ArrayList<>())
            .add(SocketAddresses.parse(parts[1]));
      } catch (IllegalArgumentException e) {
        // A damaged line is skipped: the others still work.
      }
    }
    return peers;
  }

  /**
   * Records addresses for {@code peer}, newest first, keeping the ones already known after them up
   * to {@link Protocol#MAX_ADDRESSES}. Returns whether any was new (the file is rewritten only
   * then).
   */
  public synchronized boolean remember(DeviceId peer, List<InetSocketAddress> addresses) {
    Map<DeviceId, List<InetSocketAddress>> peers = load();
    List<InetSocketAddress> known = peers.getOrDefault(peer, List.of());
    boolean learned = addresses.stream().anyMatch(a -> known.stream().noneMatch(k -> same(a, k)));
    if (!learned) {
      return false;
    }
    List<InetSocketAddress> merged = new ArrayList<>();
    for (InetSocketAddress address : addresses) {
      if (merged.stream().noneMatch(m -> same(m, address))) {
        merged.add(address);
      }
    }
    for (InetSocketAddress old : known) {
      if (merged.stream().noneMatch(m -> same(m, old))) {
        merged.add(old);
      }
    }
    peers.put(peer, merged.subList(0, Math.min(merged.size(), Protocol.MAX_ADDRESSES)));
    StringBuilder text = new StringBuilder("# peers of this device: DEVICE-ID host:port\n");
    peers.forEach(
        (id, list) ->
            list.forEach(a -> text.append(id.value()).append(' ').append(format(a)).append('\n')));
    AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
    return true;
  }

  private static boolean same(InetSocketAddress a, InetSocketAddress b) {
    return format(a).equals(format(b));
  }

  /** host:port with the IP literal when the address is resolved ([..] around IPv6). */
  public static String format(InetSocketAddress address) {
    return SocketAddresses.format(address);
  }
}
