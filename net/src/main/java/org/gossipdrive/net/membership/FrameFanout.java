package org.gossipdrive.net.membership;

import java.util.List;
import org.gossipdrive.net.transport.Connection;
import org.gossipdrive.net.transport.FrameListener;
import org.gossipdrive.net.wire.proto.Frame;

/** Lets several components listen to one transport (replication, membership...). */
public final class FrameFanout implements FrameListener {
  private final List<FrameListener> listeners;

  public FrameFanout(FrameListener... listeners) {
    this.listeners = List.of(listeners);
  }

  @Override
  public void onFrame(Connection connection, Frame frame) {
    listeners.forEach(l -> l.onFrame(connection, frame));
  }

  @Override
  public void onOpen(Connection connection) {
    listeners.forEach(l -> l.onOpen(connection));
  }

  @Override
  public void onClose(Connection connection, String reason) {
    listeners.forEach(l -> l.onClose(connection, reason));
  }
}
