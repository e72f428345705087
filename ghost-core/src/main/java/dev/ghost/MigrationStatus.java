package dev.ghost;

import java.time.Duration;
import java.util.Optional;

/**
 * A snapshot of a running migration, so that wrappers never parse logs.
 *
 * @param table          the migrated table, {@code schema.table}
 * @param state          the current state
 * @param rowsCopied     rows inserted into the ghost table by the copy so far
 * @param rowEstimate    the rows expected (EXPLAIN estimate, or COUNT(*) with exact row count)
 * @param eventsApplied  binlog row changes applied to the ghost table so far
 * @param backlog        changed keys read from the binlog and not applied yet (a key changed many times counts once)
 * @param lag            how far the applied binlog is behind the server, measured with the changelog heartbeat
 * @param elapsed        time since the migration started
 * @param copyElapsed    time spent in the row copy so far
 * @param eta            estimated time until the copy is done, from the recent copy rate; empty when unknown
 * @param throttleReason why the copy is paused, or empty when it is not throttled
 * @param chunkSize      the chunk size in use now, in rows: it adapts to the chunk time unless fixed
 * @param streamerPosition the binlog position the event source has read up to, or empty
 * @param copyRate       rows copied per second over the last seconds
 * @param applyRate      binlog row changes applied per second over the last seconds
 */
public record MigrationStatus(String table, MigrationState state, long rowsCopied, long rowEstimate,
                              long eventsApplied, long backlog, Duration lag, Duration elapsed, Duration copyElapsed,
                              Optional<Duration> eta, Optional<String> throttleReason, int chunkSize,
                              String streamerPosition, double copyRate, double applyRate) {

    /**
     * Copy progress in percent, 0..100.
     *
     * @return 100 once the copy is done, else rows copied against the estimate
     */
    public double copyPercent() {
        if (state.ordinal() > MigrationState.COPYING.ordinal() && state != MigrationState.FAILED
                && state != MigrationState.CANCELLED) {
            return 100.0;
        }
        if (rowEstimate <= 0) {
            return rowsCopied > 0 ? 100.0 : 0.0;
        }
        return Math.min(100.0, 100.0 * rowsCopied / rowEstimate);
    }

    /**
     * The status in gh-ost's format, e.g. {@code Copy: 1000/2000 50.0%; Applied: 12; Backlog: 0/1000; Time: 3s(total),
     * 2s(copy); streamer: binlog.000002:4567; Lag: 0.01s, HeartbeatLag: 0.01s, State: migrating; ETA: 2s; Rates: 980
     * rows/s copied, 12 events/s applied}: gh-ost's fields in gh-ost's order, so that scripts written for gh-ost keep
     * working, and ghost's rates after them.
     *
     * @return one line, without a line break
     */
    public String statusLine() {
        return dev.ghost.internal.control.StatusLine.format(this);
    }

    /**
     * Whether the copy is paused by a throttle policy or {@link RunningMigration#throttle()}.
     *
     * @return true when {@link #throttleReason()} is present
     */
    public boolean throttled() {
        return throttleReason.isPresent();
    }
}
