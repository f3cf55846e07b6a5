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

/**
 * Addresses where peers were last reachable, one "DEVICE-ID host:port" per line in the home's
 * {@code peers} file. Joining records the inviter's addresses; the daemon dials them at start.
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
      int colon = parts[1].lastIndexOf(':');
      if (colon <= 0) {
        continue;
      }
      try {
        String host = parts[1].substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(parts[1].substring(colon + 1));
        peers
            .computeIfAbsent(new DeviceId(parts[0]), id -> new ArrayList<>())
            .add(new InetSocketAddress(host, port));
      } catch (IllegalArgumentException e) {
        // A damaged line is skipped: the others still work.
      }
    }
    return peers;
  }

  /** Records addresses for {@code peer}, keeping the ones already known after them. */
  public synchronized void remember(DeviceId peer, List<InetSocketAddress> addresses) {
    Map<DeviceId, List<InetSocketAddress>> peers = load();
    List<InetSocketAddress> merged = new ArrayList<>(addresses);
    for (InetSocketAddress old : peers.getOrDefault(peer, List.of())) {
      if (merged.stream().noneMatch(a -> format(a).equals(format(old)))) {
        merged.add(old);
      }
    }
    peers.put(peer, merged);
    StringBuilder text = new StringBuilder("# peers of this device: DEVICE-ID host:port\n");
    peers.forEach(
        (id, list) ->
            list.forEach(a -> text.append(id.value()).append(' ').append(format(a)).append('\n')));
    AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8), false);
  }

  /** host:port with the IP literal when the address is resolved ([..] around IPv6). */
  public static String format(InetSocketAddress address) {
    String host =
        address.getAddress() != null
            ? address.getAddress().getHostAddress()
            : address.getHostString();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }
}
