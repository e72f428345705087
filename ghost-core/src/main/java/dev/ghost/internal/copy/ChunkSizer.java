package dev.ghost.internal.copy;

import java.time.Duration;

/**
 * The copy's chunk size: either fixed (an explicit chunk size, or the operator's {@code chunk-size=} command, which
 * fixes it from then on), or adapted after every chunk so that a chunk takes about a target time, as
 * pt-online-schema-change's {@code --chunk-time} does. The rate is a moving average of rows per second over the
 * recent chunks of every copying thread, so one chunk that waited on a lock does not halve the size, and the size
 * grows at most twofold per chunk so that a few fast chunks on a cold start cannot jump to the cap at once.
 * Thread-safe: copying threads report, the walking thread and the status read.
 */
public final class ChunkSizer {

    public static final int MIN_ROWS = 10;
    public static final int MAX_ROWS = 100_000;
    /** Where an adaptive copy starts: gh-ost's default chunk size, quick to grow from. */
    static final int INITIAL_ROWS = 1000;
    /** Weight of the newest chunk in the rate: about the last five chunks count. */
    private static final double NEWEST_WEIGHT = 0.3;
    private static final double MAX_GROWTH = 2.0;
    private static final double MAX_SHRINK = 4.0;

    private final long targetNanos;
    private boolean fixed;
    private int rows;
    private double rowsPerSecond;

    private ChunkSizer(Duration target, boolean fixed, int rows) {
        this.targetNanos = target == null ? 0 : target.toNanos();
        this.fixed = fixed;
        this.rows = rows;
    }

    /** A size that adapts so that a chunk takes about {@code target}, starting from {@link #INITIAL_ROWS}. */
    public static ChunkSizer adaptive(Duration target) {
        if (target == null || target.isNegative() || target.isZero()) {
            throw new IllegalArgumentException("the chunk time must be positive: " + target);
        }
        return new ChunkSizer(target, false, INITIAL_ROWS);
    }

    /** A size that stays {@code rows} until changed. */
    public static ChunkSizer fixed(int rows) {
        return new ChunkSizer(null, true, checked(rows));
    }

    /** Rows per chunk now. */
    public synchronized int rows() {
        return rows;
    }

    /** Whether the size follows the chunks' times (false once fixed). */
    public synchronized boolean adaptive() {
        return !fixed;
    }

    /** Fixes the size from now on: an operator's explicit size wins over the adaptation. */
    public synchronized void fix(int newRows) {
        rows = checked(newRows);
        fixed = true;
    }

    /**
     * Reports a copied chunk: how many rows it covered and how long it took from its start to its end on its thread.
     * Chunks without rows say nothing about the rate (a gap in the key) and are ignored.
     */
    public synchronized void chunkCopied(long chunkRows, long nanos) {
        if (fixed || chunkRows <= 0 || nanos <= 0) {
            return;
        }
        double observed = chunkRows * 1e9 / nanos;
        rowsPerSecond = rowsPerSecond == 0 ? observed
                : NEWEST_WEIGHT * observed + (1 - NEWEST_WEIGHT) * rowsPerSecond;
        double wanted = rowsPerSecond * targetNanos / 1e9;
        double bounded = Math.max(rows / MAX_SHRINK, Math.min(rows * MAX_GROWTH, wanted));
        rows = (int) Math.max(MIN_ROWS, Math.min(MAX_ROWS, Math.round(bounded)));
    }

    private static int checked(int rows) {
        if (rows < MIN_ROWS || rows > MAX_ROWS) {
            throw new IllegalArgumentException("chunk size " + rows + " is not in " + MIN_ROWS + ".." + MAX_ROWS);
        }
        return rows;
    }
}
