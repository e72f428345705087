package dev.ghost.binlog.internal;

// Turns one exactly decoded binlog cell of a column into the type the RowsEvent contract promises for it.
@FunctionalInterface
interface ValueConverter {

    ValueConverter IDENTITY = raw -> raw;

    /** Converts a non-null cell. */
    Object convert(Object raw);
}
