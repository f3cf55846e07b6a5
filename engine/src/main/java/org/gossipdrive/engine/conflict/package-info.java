/**
 * Conflict rules as pure functions over version vectors and hybrid clocks: newer, older or
 * concurrent; the deterministic winner; the conflict-copy name; edit beats delete.
 */
package org.gossipdrive.engine.conflict;
