/**
 * The wire format: length-prefixed frames of protobuf messages from one schema ({@code
 * gossipdrive.proto}), with a hard frame limit and per-field limits.
 */
package org.gossipdrive.net.wire;
