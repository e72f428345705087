package dev.ghost.internal.engine;

import java.time.Duration;

/** The boundaries of a migration's phases, for the result's timings. Used by the migration thread only. */
final class PhaseTimes {

    private final long started;
    private long inspected;
    private long copied;
    private long cutOver;

    PhaseTimes(long started) {
        this.started = started;
    }

    void inspected() {
        inspected = System.nanoTime();
    }

    void copied() {
        copied = System.nanoTime();
    }

    void cutOver() {
        cutOver = System.nanoTime();
    }

    Duration inspect() {
        return between(started, inspected);
    }

    Duration copy() {
        return between(inspected, copied);
    }

    Duration cutover() {
        return between(copied, cutOver);
    }

    Duration total() {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private static Duration between(long from, long to) {
        return from == 0 || to == 0 ? Duration.ZERO : Duration.ofNanos(to - from);
    }
}
