/**
 * The drive daemon: one process per device home that opens the replica, mounts it, talks to peers,
 * and answers the CLI through a token-protected API on 127.0.0.1. Its text reports escape every
 * name and path from elsewhere ({@code TerminalText}), as the CLI does with every answer.
 */
package org.gossipdrive.fs.daemon;
