/**
 * The {@code gossipdrive} command line (picocli): init, join, up, status, peers, invite, verify,
 * locks, lock, unlock, conflicts, history, restore, rename, id. Commands other than init/join/up
 * talk to the running daemon through {@code DaemonClient}, waiting for one that is starting.
 */
package org.gossipdrive.fs.cli;
