package org.gossipdrive.fs.cli;

/** An expected failure: printed as one line, exit status 1, no stack trace. */
final class CliException extends RuntimeException {
  CliException(String message) {
    super(message);
  }
}
