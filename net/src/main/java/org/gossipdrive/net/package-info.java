/**
 * The network side: device identity, TLS transport, wire messages, trust, invitations, LAN
 * discovery and address gossip, replication ({@code sync}), failure detection ({@code membership})
 * and the lock protocol ({@code lock}), each in its sub-package.
 */
package org.gossipdrive.net;
