/** Benchmarks run as commands (never as timed tests): they print figures for docs/benchmarks.md. */
package org.gossipdrive.tests.bench;
