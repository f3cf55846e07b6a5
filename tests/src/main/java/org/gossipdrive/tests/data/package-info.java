/** Reproducible synthetic file content for tests and benchmarks. */
package org.gossipdrive.tests.data;
