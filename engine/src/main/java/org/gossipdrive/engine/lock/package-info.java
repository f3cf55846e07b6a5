/**
 * Document locks as state and rules, without a network: which device holds which path, how
 * competing claims are ordered, and which file names accompany a document while an app saves it.
 * The protocol that asks peers lives in {@code org.gossipdrive.net.lock}.
 */
package org.gossipdrive.engine.lock;
