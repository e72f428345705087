package dev.ghost.event;

import java.time.Duration;

/**
 * @param table    the migrated table, {@code schema.table}
 * @param oldTable where the original table went
 * @param lockHeld how long queries on the table were blocked
 * @param attempt  which attempt succeeded, from 1
 */
public record CutoverCompleted(String table, String oldTable, Duration lockHeld, int attempt) {
}
