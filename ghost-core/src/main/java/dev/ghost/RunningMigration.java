package dev.ghost;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * A migration started with {@link OnlineSchemaChange#start()}: watch it, steer the few settings that may change at
 * run time, wait for it, or cancel it.
 */
public interface RunningMigration {

    /**
     * A consistent snapshot of where the migration is.
     *
     * @return the status now; cheap, safe from any thread
     */
    MigrationStatus status();

    /**
     * Waits for the end. Returns the result, or throws the {@link GhostException} that ended the migration.
     *
     * @return what the migration did
     * @throws GhostException the exception that ended the migration, e.g. {@link MigrationFailedException}
     */
    SchemaChangeResult await();

    /**
     * Like {@link #await()}, bounded.
     *
     * @param timeout how long to wait at most
     * @return what the migration did
     * @throws TimeoutException when the migration has not ended within the timeout; it goes on running
     * @throws GhostException the exception that ended the migration
     */
    SchemaChangeResult await(Duration timeout) throws TimeoutException;

    /**
     * Stops the migration as soon as possible and removes what it created, unless the cut-over already succeeded.
     * {@link #await()} then throws {@link MigrationCancelledException}.
     */
    void cancel();

    /**
     * Pauses the row copy until {@link #unthrottle()}, whatever the throttle policies say; a cut-over does not start
     * while throttled.
     */
    void throttle();

    /** Ends a {@link #throttle()}; the throttle policies decide again. */
    void unthrottle();

    /**
     * Fixes the chunk size for the next chunks (10..100000); the size no longer adapts to the chunk time.
     *
     * @param rows rows per chunk, 10..100000
     */
    void chunkSize(int rows);

    /** Holds the cut-over until {@link #unpostponeCutover()}; the copy and the replay go on. */
    void postponeCutover();

    /** Lets a postponed cut-over happen; also overrides a postpone flag file, as gh-ost's {@code unpostpone} does. */
    void unpostponeCutover();

    /**
     * Changes how many binlog rows the replay writes per statement (1..10000).
     *
     * @param rows changed keys per statement, 1..10000
     */
    void dmlBatchSize(int rows);

    /**
     * Replaces the {@code max-load} limits, e.g. {@code "Threads_running=30"}; an empty text removes them. See
     * {@link dev.ghost.spi.ThrottlePolicy#maxLoad}.
     *
     * @param thresholds comma-separated {@code Status_variable=limit} pairs, or empty
     * @throws IllegalArgumentException when the text cannot be read
     */
    void maxLoad(String thresholds);

    /**
     * Replaces the {@code critical-load} limits (the second look and hibernation given at build time stay); an
     * empty text removes them. See {@link dev.ghost.spi.ThrottlePolicy#criticalLoad(String, Duration, Duration)}.
     *
     * @param thresholds comma-separated {@code Status_variable=limit} pairs, or empty
     * @throws IllegalArgumentException when the text cannot be read
     */
    void criticalLoad(String thresholds);

    /**
     * Replaces the lag limit of {@link dev.ghost.spi.ThrottlePolicy#maxLag}; zero removes it.
     *
     * @param limit the largest lag that lets the copy go on; zero for no limit
     */
    void maxLag(Duration limit);

    /**
     * Replaces the ratio of {@link dev.ghost.spi.ThrottlePolicy#niceRatio}; zero: no rest between chunks.
     *
     * @param ratio the rest after each chunk, as a multiple of the chunk's time; 0 or more
     */
    void niceRatio(double ratio);

    /**
     * Replaces the query of {@link dev.ghost.spi.ThrottlePolicy#throttleQuery} (gh-ost's {@code throttle-query=});
     * null or blank removes it. The copy is held while the query answers a number above zero.
     *
     * @param query a SELECT that answers one number, or null
     */
    void throttleQuery(String query);

    /**
     * Replaces the URL of {@link dev.ghost.spi.ThrottlePolicy#throttleHttp} (gh-ost's {@code throttle-http=<url>});
     * null removes the check. A migration built without one starts one: HEAD every 100 ms with a 1 s timeout,
     * throttling when the URL cannot be reached. The interval, timeout and error handling of one given at build time
     * stay.
     *
     * @param url the URL to check, or null to stop checking
     * @throws IllegalArgumentException when the URL is not an absolute http or https URL with a host
     */
    void throttleHttp(URI url);

    /**
     * gh-ost's {@code panic}: stops the migration at once and says so in the exception. The original table is
     * untouched; unlike {@link #cancel()}, the ghost and changelog tables are left for inspection (the exception's
     * {@code remainingTables()} names them), as gh-ost leaves them.
     */
    void panic();
}
