/**
 * Cutting file content into chunks (FastCDC or fixed size), and the stored form of a chunk: hash,
 * optional LZ4 compression, verification on every decode.
 */
package org.gossipdrive.engine.chunk;
