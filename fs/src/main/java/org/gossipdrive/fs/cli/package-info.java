/**
 * The {@code gossipdrive} command line (picocli): init, join, up, status, peers, invite, verify,
 * locks, lock, unlock, conflicts, history, restore, rename, id. Commands other than init/join/up
 * talk to the running daemon through {@code DaemonClient}, waiting for one that is starting, and
 * only once it proved it holds the home's token (ADR 38). What they print from elsewhere is escaped
 * ({@code TerminalText}, ADR 37).
 */
package org.gossipdrive.fs.cli;
