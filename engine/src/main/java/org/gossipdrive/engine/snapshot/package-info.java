/**
 * Snapshots for joining late: the records that make up the current tree (each entry's frontier,
 * still signed by their authors) plus the per-author floor they cover, in one checksummed file. A
 * device far behind applies one instead of replaying every record ever written, then replays what
 * came after the floor (seed 002, ADR 0023).
 */
package org.gossipdrive.engine.snapshot;
