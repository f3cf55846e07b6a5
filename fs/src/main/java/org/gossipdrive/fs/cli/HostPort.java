package org.gossipdrive.fs.cli;

import java.net.InetSocketAddress;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code HOST:PORT} (IPv6 in brackets) for command-line options. */
final class HostPort implements ITypeConverter<InetSocketAddress> {
  @Override
  public InetSocketAddress convert(String value) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0) {
      throw new TypeConversionException("'" + value + "' is not HOST:PORT");
    }
    String host = value.substring(0, colon).replace("[", "").replace("]", "");
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new TypeConversionException(
          "'" + value.substring(colon + 1) + "' is not a port number");
    }
    if (port < 0 || port > 65535) {
      throw new TypeConversionException("port " + port + " is out of range");
    }
    return new InetSocketAddress(host, port);
  }
}
