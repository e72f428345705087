/**
 * Turning the public TLS settings into what the drivers take: PEM files read into key stores, an SSL context for
 * the binlog client, Connector/J properties, and TLS failures explained in words an operator can act on.
 */
package dev.ghost.internal.tls;
