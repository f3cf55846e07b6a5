/**
 * The drive a user runs: FUSE filesystem, daemon and CLI. Not built yet: see the project's issues.
 */
package org.gossipdrive.fs;
