/**
 * The product a user runs. Today: the command line ({@code cli}). The FUSE filesystem and the
 * daemon that wires engine, network and mount come with the mounted-drive issue.
 */
package org.gossipdrive.fs;
