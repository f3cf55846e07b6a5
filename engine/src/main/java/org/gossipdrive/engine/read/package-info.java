/** The read path: random access and streaming over a version's chunks, with a verified cache. */
package org.gossipdrive.engine.read;
