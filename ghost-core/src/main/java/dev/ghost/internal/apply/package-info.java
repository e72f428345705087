/** Replaying the binlog onto the ghost table: changed keys, deduplicated, copied again from the original. */
package dev.ghost.internal.apply;
