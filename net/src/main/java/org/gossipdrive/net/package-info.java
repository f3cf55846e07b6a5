/**
 * The network side (identity, TLS transport, wire messages, invitations, discovery, membership,
 * gossip, chunk transfer, locks). Not built yet: see the project's issues.
 */
package org.gossipdrive.net;
