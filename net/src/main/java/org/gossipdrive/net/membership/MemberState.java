package org.gossipdrive.net.membership;

/** What failure detection believes about a peer. */
public enum MemberState {
  /** Never heard from since this device started. */
  UNKNOWN,
  REACHABLE,
  /** Probes failed, directly and through other peers; it may be gone. */
  SUSPECT,
  /** Suspected for longer than the configured bound. */
  DEAD
}
