/**
 * The RocksDB side of the replica: the database and its column families, the content-addressed
 * chunk store with reference counts, the tree's indexes, and the ledger's rows.
 */
package org.gossipdrive.engine.store;
