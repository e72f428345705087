package dev.ghost.event;

import dev.ghost.MigrationState;

import java.time.Instant;

/**
 * @param table  the migrated table, {@code schema.table}
 * @param from   the previous state
 * @param to     the new state
 * @param at     when it happened
 * @param detail a short human-readable reason (e.g. the error message of a failure), or empty
 */
public record StateChange(String table, MigrationState from, MigrationState to, Instant at, String detail) {
}
