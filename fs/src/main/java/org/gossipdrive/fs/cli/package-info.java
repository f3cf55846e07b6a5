/** The {@code gossipdrive} command line (picocli): init, id, invite, join so far. */
package org.gossipdrive.fs.cli;
