/**
 * Who is trusted in a drive: the signed, versioned trusted-device set, its storage, its merge and
 * its gossip to peers.
 */
package org.gossipdrive.net.trust;
