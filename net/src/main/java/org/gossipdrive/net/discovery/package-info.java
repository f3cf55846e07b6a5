/** LAN discovery over mDNS/DNS-SD: it shows peers, it never trusts them. */
package org.gossipdrive.net.discovery;
