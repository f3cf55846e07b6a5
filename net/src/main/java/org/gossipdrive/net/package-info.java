/**
 * The network side: device identity, TLS transport, wire messages, trust, invitations and LAN
 * discovery (sub-packages). Replication, membership and the lock protocol will build on them.
 */
package org.gossipdrive.net;
