/**
 * Who is reachable: SWIM-style failure detection (ping, indirect ping, suspect, dead) and peer
 * status.
 */
package org.gossipdrive.net.membership;
