/** Measurements that need real daemons but are too slow or too noisy for the suite. */
package org.gossipdrive.tests.probe;
