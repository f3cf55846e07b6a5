/**
 * The drive as users run it: the real CLI and daemon in child processes, and the tools that drive
 * them, shared by the drive tests and the end-to-end benchmark.
 */
package org.gossipdrive.tests.drive;
