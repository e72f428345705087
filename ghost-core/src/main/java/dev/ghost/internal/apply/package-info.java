/** Replaying binlog row changes onto the ghost table, in batches, with priority over the copy. */
package dev.ghost.internal.apply;
