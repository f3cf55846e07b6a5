/** The child process that the crash-consistency test kills with SIGKILL. */
package org.gossipdrive.tests.crash;
