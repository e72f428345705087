/** The changelog table: heartbeats and state markers that travel through the binlog like everything else. */
package dev.ghost.internal.changelog;
