/**
 * The lock protocol: asking every reachable peer for a document's lock, answering their claims,
 * renewing leases and breaking locks of vanished devices (docs/locks.md).
 */
package org.gossipdrive.net.lock;
