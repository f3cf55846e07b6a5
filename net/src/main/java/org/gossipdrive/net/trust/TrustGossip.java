package org.gossipdrive.net.trust;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.gossipdrive.net.transport.Connection;
import org.gossipdrive.net.transport.FrameListener;
import org.gossipdrive.net.wire.proto.Frame;
import org.gossipdrive.net.wire.proto.Lane;

/**
 * Spreads the trusted set: each side sends its set when a control lane opens, and a device passes
 * on every change (a join it admitted, a newer set it received), so a device invited by one peer
 * becomes known to all of them.
 */
public final class TrustGossip implements FrameListener {
  private static final System.Logger LOG = System.getLogger(TrustGossip.class.getName());

  private final TrustStore trust;
  private final DeviceIdentity self;
  private final Map<DeviceId, Connection> control = new ConcurrentHashMap<>();

  public TrustGossip(TrustStore trust, DeviceIdentity self) {
    this.trust = trust;
    this.self = self;
    trust.onChange(this::sendToAll);
  }

  @Override
  public void onOpen(Connection connection) {
    if (connection.lane() == Lane.CONTROL) {
      control.put(connection.peer(), connection);
      send(connection);
    }
  }

  @Override
  public void onClose(Connection connection, String reason) {
    control.remove(connection.peer(), connection);
  }

  @Override
  public void onFrame(Connection connection, Frame frame) {
    if (frame.getBodyCase() != Frame.BodyCase.TRUSTED_SET) {
      return;
    }
    try {
      if (trust.merge(frame.getTrustedSet(), self)) {
        LOG.log(
            Level.INFO,
            "trusted set now v{0} ({1} devices), from {2}",
            trust.current().orElseThrow().version(),
            trust.current().orElseThrow().members().size(),
            connection.peer());
      }
    } catch (TrustException e) {
      LOG.log(
          Level.WARNING, "refused a trusted set from {0}: {1}", connection.peer(), e.getMessage());
    }
  }

  private void sendToAll() {
    control.values().forEach(this::send);
  }

  private void send(Connection connection) {
    trust
        .signedRecord()
        .ifPresent(
            record -> {
              try {
                connection.send(Frame.newBuilder().setTrustedSet(record).build());
              } catch (IOException e) {
                // the link is gone; the set goes again when it comes back
              }
            });
  }
}
