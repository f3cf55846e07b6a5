/** The hash-chained journal of every change: entry format, chain head and hashing rule. */
package org.gossipdrive.engine.ledger;
