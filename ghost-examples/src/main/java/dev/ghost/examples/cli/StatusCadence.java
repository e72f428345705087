package dev.ghost.examples.cli;

import java.time.Duration;
import java.util.Optional;

/**
 * When gh-ost prints its status line: every second in the first minute and in the last minute before the copy ends,
 * every 5 s while within 3 minutes of the start or of the end or of the last notable event, otherwise every 30 s.
 */
final class StatusCadence {

    private StatusCadence() {
    }

    /**
     * @param elapsed            time since the migration started
     * @param eta                time left until the copy is done; zero once it is done, empty when unknown
     * @param sinceLastInterest  time since the last notable event (a state change)
     */
    static int intervalSeconds(Duration elapsed, Optional<Duration> eta, Duration sinceLastInterest) {
        long elapsedSeconds = elapsed.toSeconds();
        long etaSeconds = eta.map(Duration::toSeconds).orElse(Long.MAX_VALUE);
        if (elapsedSeconds <= 60 || etaSeconds <= 60) {
            return 1;
        }
        if (etaSeconds <= 180 || elapsedSeconds <= 180 || sinceLastInterest.toSeconds() <= 60) {
            return 5;
        }
        return 30;
    }

    /**
     * True when a multiple of the interval lies in (lastPrinted, now]. gh-ost asks "is elapsed a multiple of it",
     * which skips a line whenever its one-second ticker drifts past the exact second; this cannot.
     */
    static boolean due(long lastPrintedSecond, long nowSecond, int intervalSeconds) {
        return Math.floorDiv(nowSecond, intervalSeconds) > Math.floorDiv(lastPrintedSecond, intervalSeconds);
    }
}
