/**
 * BLAKE3 hashing: the port a native implementation plugs into, the pure-Java fallback, and the
 * chunk identifiers it produces.
 */
package org.gossipdrive.engine.hash;
