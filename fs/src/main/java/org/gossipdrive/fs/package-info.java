/**
 * The product a user runs: the drive's semantics ({@code vfs}) under a thin FUSE adapter ({@code
 * fuse}), the daemon that wires engine, network and mount ({@code daemon}), and the command line
 * ({@code cli}).
 */
package org.gossipdrive.fs;
