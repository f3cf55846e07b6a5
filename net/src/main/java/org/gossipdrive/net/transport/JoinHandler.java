package org.gossipdrive.net.transport;

import org.gossipdrive.net.wire.proto.JoinRequest;
import org.gossipdrive.net.wire.proto.JoinResult;

/** Answers a join request from a device not yet trusted (the inviter's side of an invitation). */
public interface JoinHandler {
  JoinResult onJoinRequest(Connection connection, JoinRequest request);
}
