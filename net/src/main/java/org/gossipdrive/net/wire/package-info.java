/**
 * The wire format: length-prefixed frames of protobuf messages from one schema ({@code
 * gossipdrive.proto}), with a hard frame limit and per-field limits, and the rule for device names
 * that arrive from other devices ({@code ReceivedNames}: no control characters).
 */
package org.gossipdrive.net.wire;
