package org.gossipdrive.net.transport;

/** The two connections to one peer: control messages and bulk data on separate TLS sessions. */
public record PeerLink(Connection control, Connection bulk) {
  public boolean isOpen() {
    return control.isOpen() && bulk.isOpen();
  }

  public void close(String reason) {
    control.close(reason);
    bulk.close(reason);
  }
}
