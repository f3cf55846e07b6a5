/**
 * Who is trusted in a drive: the signed, versioned trusted-device set (every admission, a signed
 * tombstone per removed device, self-signed renames), its storage, its merge, its gossip to peers,
 * and what a device does when a removal reaches it (ADR 39).
 */
package org.gossipdrive.net.trust;
