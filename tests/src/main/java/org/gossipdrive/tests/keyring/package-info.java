/** Child process for the OS keyring test, run inside a private D-Bus session. */
package org.gossipdrive.tests.keyring;
