/** Bounded binary encoding of the records the engine stores: every length is checked on decode. */
package org.gossipdrive.engine.codec;
