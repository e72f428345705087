package dev.ghost.internal.engine;

import java.util.ArrayDeque;
import java.util.Deque;

/** A running total sampled over time, read as a rate per second over a recent window. Thread-safe. */
final class RateWindow {

    private final long windowNanos;
    private final Deque<long[]> samples = new ArrayDeque<>(); // {nanos, total}

    RateWindow(long windowSeconds) {
        this.windowNanos = windowSeconds * 1_000_000_000L;
    }

    synchronized void record(long nanos, long total) {
        samples.addLast(new long[] {nanos, total});
        prune(nanos);
    }

    /** The total's growth per second from the window's start to {@code nanos}; 0 without two samples. */
    synchronized double perSecond(long nanos) {
        prune(nanos);
        if (samples.size() < 2) {
            return 0;
        }
        long[] first = samples.peekFirst();
        long[] last = samples.peekLast();
        long elapsed = Math.max(nanos, last[0]) - first[0];
        return elapsed <= 0 ? 0 : (last[1] - first[1]) * 1e9 / elapsed;
    }

    /** Drops samples older than the window, keeping the newest of them as the window's starting point. */
    private void prune(long nanos) {
        while (samples.size() > 1) {
            long[] first = samples.removeFirst();
            long[] second = samples.peekFirst();
            if (nanos - second[0] <= windowNanos) {
                samples.addFirst(first);
                return;
            }
        }
    }
}
