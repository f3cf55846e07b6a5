/**
 * The write path: changes to the tree, the rules every change must keep, and the group committer
 * that turns queued changes into atomic, hash-chained, durable RocksDB batches.
 */
package org.gossipdrive.engine.commit;
