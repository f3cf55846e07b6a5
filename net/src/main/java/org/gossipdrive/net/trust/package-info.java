/** Who is trusted in a drive: the signed, versioned trusted-device set and its storage. */
package org.gossipdrive.net.trust;
