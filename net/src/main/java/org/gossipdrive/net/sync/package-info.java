/**
 * Replication between connected peers: digest exchange, push, anti-entropy, record checking and
 * application, chunk fetching over the bulk lane.
 */
package org.gossipdrive.net.sync;
