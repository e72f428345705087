package dev.ghost.internal.engine;

/**
 * The settings an operator may change while a migration runs (HikariCP's idea: everything else is sealed).
 * Written by control threads, read by the copy and replay threads.
 */
final class LiveSettings {

    private volatile int chunkSize;
    private volatile int dmlBatchSize;
    private volatile boolean manualThrottle;

    LiveSettings(int chunkSize, int dmlBatchSize) {
        this.chunkSize = chunkSize;
        this.dmlBatchSize = dmlBatchSize;
    }

    int chunkSize() {
        return chunkSize;
    }

    void chunkSize(int rows) {
        chunkSize = rows;
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
