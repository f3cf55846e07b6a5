/**
 * Invitations: signed, expiring, single-use tokens; the inviter's book of issued tokens; and the
 * joiner's proof of the secret, bound to the TLS session.
 */
package org.gossipdrive.net.invite;
