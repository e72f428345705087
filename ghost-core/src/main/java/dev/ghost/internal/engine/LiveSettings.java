package dev.ghost.internal.engine;

import dev.ghost.internal.copy.ChunkSizer;

/**
 * The settings an operator may change while a migration runs (HikariCP's idea: everything else is sealed).
 * Written by control threads, read by the copy and replay threads.
 */
final class LiveSettings {

    private final ChunkSizer chunkSizer;
    private volatile int dmlBatchSize;
    private volatile boolean manualThrottle;

    LiveSettings(ChunkSizer chunkSizer, int dmlBatchSize) {
        this.chunkSizer = chunkSizer;
        this.dmlBatchSize = dmlBatchSize;
    }

    /** The copy's chunk size, adapting to the chunk time unless fixed. */
    ChunkSizer chunkSizer() {
        return chunkSizer;
    }

    int chunkSize() {
        return chunkSizer.rows();
    }

    /** The operator's size: fixed from now on, whether it adapted before or not. */
    void chunkSize(int rows) {
        chunkSizer.fix(rows);
    }

    int dmlBatchSize() {
        return dmlBatchSize;
    }

    void dmlBatchSize(int rows) {
        dmlBatchSize = rows;
    }

    boolean manualThrottle() {
        return manualThrottle;
    }

    void manualThrottle(boolean throttled) {
        manualThrottle = throttled;
    }
}
