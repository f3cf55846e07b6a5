/** Child process for the mDNS discovery test, run inside network namespaces. */
package org.gossipdrive.tests.discovery;
