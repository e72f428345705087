package dev.ghost.spi;

import java.time.Duration;

/**
 * A successful cut-over.
 *
 * @param lockHeld how long queries on the original table were blocked (from LOCK to UNLOCK or rename)
 */
public record CutoverOutcome(Duration lockHeld) {
}
