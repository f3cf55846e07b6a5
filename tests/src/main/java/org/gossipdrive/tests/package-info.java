/** End-to-end tests, crash tests and benchmarks that exercise every module together. */
package org.gossipdrive.tests;
