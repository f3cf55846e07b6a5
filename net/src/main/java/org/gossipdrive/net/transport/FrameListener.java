package org.gossipdrive.net.transport;

import org.gossipdrive.net.wire.proto.Frame;

/** Receives what trusted peers send. Called on the connection's reader thread. */
public interface FrameListener {
  void onFrame(Connection connection, Frame frame);

  default void onOpen(Connection connection) {}

  default void onClose(Connection connection, String reason) {}
}
