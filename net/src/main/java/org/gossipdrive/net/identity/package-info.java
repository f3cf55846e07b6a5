/**
 * Device identity: Ed25519 keys, device ids with a check letter, self-signed certificates, key
 * storage.
 */
package org.gossipdrive.net.identity;
