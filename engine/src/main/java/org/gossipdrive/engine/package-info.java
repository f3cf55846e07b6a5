/**
 * The local replica: {@link org.gossipdrive.engine.Replica} ties the chunk store, file tree and
 * ledger together behind one small API. Pure Java plus RocksDB; no sockets, no FUSE.
 */
package org.gossipdrive.engine;
