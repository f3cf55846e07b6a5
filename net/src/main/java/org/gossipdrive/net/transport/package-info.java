/**
 * TLS 1.3 transport between devices: pinning by device id during the handshake, Hello negotiation,
 * control and bulk lanes, keepalive, and reconnection with backoff.
 */
package org.gossipdrive.net.transport;
