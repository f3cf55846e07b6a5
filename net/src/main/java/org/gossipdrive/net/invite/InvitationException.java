package org.gossipdrive.net.invite;

/** An invitation was refused. Each reason has its own message; nothing was changed. */
public final class InvitationException extends Exception {
  /** Why. */
  public enum Reason {
    MALFORMED,
    TAMPERED,
    EXPIRED,
    ALREADY_USED,
    WRONG_SECRET,
    WRONG_DRIVE,
    UNKNOWN_TOKEN,
    UNREACHABLE,
    /** The inviter refused this key in the handshake: no invitation of it is open and unused. */
    NOT_ADMITTED,
    /** The drive holds the most devices it can. */
    DRIVE_FULL,
    /** This device is in the drive already: there is nothing to join. */
    ALREADY_MEMBER,
    /** The inviter refused this device's name: it holds a control character. */
    BAD_NAME
  }

  private final Reason reason;

  public InvitationException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
