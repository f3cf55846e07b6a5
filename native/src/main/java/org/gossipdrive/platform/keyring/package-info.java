/** OS keyring access for the device's private key (the net module's SecretStore port). */
package org.gossipdrive.platform.keyring;
