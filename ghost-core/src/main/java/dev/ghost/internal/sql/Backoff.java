package dev.ghost.internal.sql;

import java.time.Duration;

/**
 * Bounded retries with exponential backoff, for a connection that is reopened when it fails: after the n-th failure
 * in a row the next attempt waits {@code first * 2^(n-1)}, at most {@code max}; the caller gives up once
 * {@code attempts} failures in a row are reached or the failures have lasted {@code giveUpAfter}. A success resets
 * it. Times are {@link System#nanoTime()} values passed in, so that the logic is tested without a clock. Not
 * thread-safe: one user.
 */
public final class Backoff {

    private final Duration first;
    private final Duration max;
    private final int attempts;
    private final Duration giveUpAfter;
    private int failures;
    private long firstFailureNanos;
    private long nextAttemptNanos;

    public Backoff(Duration first, Duration max, int attempts, Duration giveUpAfter) {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0 || attempts < 1
                || giveUpAfter.isNegative()) {
            throw new IllegalArgumentException("backoff " + first + ".." + max + ", " + attempts + " attempts, "
                    + giveUpAfter);
        }
        this.first = first;
        this.max = max;
        this.attempts = attempts;
        this.giveUpAfter = giveUpAfter;
    }

    /** The defaults for a connection that must come back soon: 250 ms, doubling to 8 s, for 10 attempts or 30 s. */
    public static Backoff forReconnects() {
        return new Backoff(Duration.ofMillis(250), Duration.ofSeconds(8), 10, Duration.ofSeconds(30));
    }

    /** How long to wait after {@code failures} failures in a row (1 or more). */
    public Duration delayAfter(int failures) {
        if (failures < 1) {
            return Duration.ZERO;
        }
        Duration delay = first;
        for (int i = 1; i < failures && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) > 0 ? max : delay;
    }

    /**
     * Records a failure at {@code nowNanos}. Returns whether another attempt is allowed (after {@link #delay()});
     * false once the bound is reached.
     */
    public boolean failed(long nowNanos) {
        if (failures == 0) {
            firstFailureNanos = nowNanos;
        }
        failures++;
        nextAttemptNanos = nowNanos + delayAfter(failures).toNanos();
        return failures < attempts && nowNanos - firstFailureNanos < giveUpAfter.toNanos();
    }

    /** Records a success: the next failure starts a new count. */
    public void succeeded() {
        failures = 0;
    }

    /** Whether an attempt may be made at {@code nowNanos}: no failure pending, or its delay has passed. */
    public boolean due(long nowNanos) {
        return failures == 0 || nowNanos - nextAttemptNanos >= 0;
    }

    /** The wait before the next attempt, after the last failure. */
    public Duration delay() {
        return delayAfter(failures);
    }

    /** Failures in a row so far. */
    public int failures() {
        return failures;
    }

    /** How long the failures in a row have lasted at {@code nowNanos}; zero when none. */
    public Duration failingFor(long nowNanos) {
        return failures == 0 ? Duration.ZERO : Duration.ofNanos(nowNanos - firstFailureNanos);
    }

    /** The bound, for messages: "10 attempts in 30 s". */
    public String bound() {
        return attempts + " attempts within " + giveUpAfter.toSeconds() + " s";
    }
}
