package dev.ghost.internal.engine;

import java.time.Duration;

/**
 * The cut-over's settings beyond strategy and lock timeout.
 *
 * @param exponentialBackoff  wait 1, 2, 4 ... seconds between attempts instead of 0.1, 0.2 ... 1 s
 * @param backoffMaxInterval  the longest such wait
 * @param oldTableTimestamp   {@code yyyyMMddHHmmss} put into the old table's name, or null
 * @param forceNamed          the socket's unpostpone command must name the table
 * @param analyzeGhostTable   ANALYZE the ghost table right before the cut-over; its failure stops the migration
 */
public record CutoverOptions(boolean exponentialBackoff, Duration backoffMaxInterval, String oldTableTimestamp,
                             boolean forceNamed, boolean analyzeGhostTable) {

    public static final CutoverOptions DEFAULTS = new CutoverOptions(false, Duration.ofSeconds(64), null, false,
            false);

    /** How long to wait after failed attempt {@code attempt} (from 1). */
    public Duration pauseAfter(int attempt) {
        if (!exponentialBackoff) {
            return Duration.ofMillis(Math.min(1000, 100L * attempt)); // a blocking transaction often ends soon
        }
        long seconds = 1L << Math.min(30, attempt - 1);
        return seconds >= backoffMaxInterval.toSeconds() ? backoffMaxInterval : Duration.ofSeconds(seconds);
    }
}
