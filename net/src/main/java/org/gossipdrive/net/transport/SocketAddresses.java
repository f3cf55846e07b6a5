package org.gossipdrive.net.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/** {@code host:port} text for addresses ({@code [v6]:port}), as files and messages carry them. */
public final class SocketAddresses {
  private SocketAddresses() {}

  /** host:port with the IP literal when the address is resolved ([..] around IPv6). */
  public static String format(InetSocketAddress address) {
    String host =
        address.getAddress() != null
            ? address.getAddress().getHostAddress()
            : address.getHostString();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  /**
   * Parses {@code host:port}; the host may be a name (resolved here) or an IP literal, the port 0
   * (any free port, for listening).
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static InetSocketAddress parse(String text) {
    String[] parts = split(text);
    return new InetSocketAddress(parts[0], port(parts[1], 0));
  }

  /**
   * Parses {@code ip:port} without any name lookup: for addresses received from the network.
   *
   * @throws IllegalArgumentException when the host is not an IP literal or the port is invalid
   */
  public static InetSocketAddress parseLiteral(String text) {
    String[] parts = split(text);
    InetAddress address = InetAddress.ofLiteral(parts[0]);
    return new InetSocketAddress(address, port(parts[1], 1));
  }

  private static String[] split(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("'" + text + "' is not HOST:PORT");
    }
    return new String[] {
      text.substring(0, colon).replace("[", "").replace("]", ""), text.substring(colon + 1)
    };
  }

  private static int port(String text, int lowest) {
    int port;
    try {
      port = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a port number");
    }
    if (port < lowest || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is out of range");
    }
    return port;
  }
}
