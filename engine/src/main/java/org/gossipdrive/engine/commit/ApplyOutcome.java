package org.gossipdrive.engine.commit;

/** What applying a record from another device did. */
public enum ApplyOutcome {
  /** Already held: nothing changed (records arrive once per relaying peer). */
  DUPLICATE,
  /** It descended from the local head, or the entry was new here: it is the head now. */
  APPLIED,
  /** It was older than (or equal to) the local head: kept as a record only. */
  KEPT_LOCAL,
  /** It was concurrent with the local head: resolved by the conflict rules (maybe a copy made). */
  CONFLICT,
  /** Its parent directory is not known here yet: nothing changed; apply it again later. */
  PARENT_MISSING
}
