/**
 * Replication between connected peers: digest exchange, push (held back while a save is in
 * progress, then one batch), anti-entropy, record checking and application, chunks fetched as a
 * swarm over the bulk lane and pushed while a big file is written, and snapshot join for peers far
 * behind.
 */
package org.gossipdrive.net.sync;
