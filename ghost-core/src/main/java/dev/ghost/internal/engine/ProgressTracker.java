package dev.ghost.internal.engine;

import dev.ghost.MigrationState;
import dev.ghost.MigrationStatus;
import dev.ghost.internal.apply.ReplayObserver;
import dev.ghost.spi.BinlogPosition;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The counters of one migration, written by its threads and read as {@link MigrationStatus} snapshots.
 * The ETA and the rates come from the last {@value #RATE_WINDOW_SECONDS} seconds.
 */
final class ProgressTracker implements ReplayObserver {

    private static final long RATE_WINDOW_SECONDS = 10;

    private final String table;
    private final long startedNanos = System.nanoTime();
    private final AtomicLong rowsCopied = new AtomicLong();
    private final AtomicLong eventsApplied = new AtomicLong();
    private final RateWindow copyRate = new RateWindow(RATE_WINDOW_SECONDS);
    private final RateWindow applyRate = new RateWindow(RATE_WINDOW_SECONDS);
    private final Consumer<Throwable> onFailure;
    private final Supplier<Optional<String>> throttleReason;
    private final Supplier<Integer> chunkSize;
    private volatile MigrationState state = MigrationState.NEW;
    private volatile long rowEstimate;
    private volatile long backlog;
    private volatile Duration lag = Duration.ZERO;
    private volatile BinlogPosition streamerPosition;
    private volatile long copyStartedNanos;
    private volatile long copyEndedNanos;

    ProgressTracker(String table, Consumer<Throwable> onFailure, Supplier<Optional<String>> throttleReason,
                    Supplier<Integer> chunkSize) {
        this.table = table;
        this.onFailure = onFailure;
        this.throttleReason = throttleReason;
        this.chunkSize = chunkSize;
    }

    MigrationState state() {
        return state;
    }

    void state(MigrationState next) {
        state = next;
    }

    void rowEstimate(long rows) {
        rowEstimate = rows;
    }

    void copyStarted() {
        copyStartedNanos = System.nanoTime();
    }

    void copyEnded() {
        copyEndedNanos = System.nanoTime();
    }

    void chunkCopied(long rows) {
        copyRate.record(System.nanoTime(), rowsCopied.addAndGet(rows));
    }

    long rowsCopied() {
        return rowsCopied.get();
    }

    long eventsApplied() {
        return eventsApplied.get();
    }

    Duration lag() {
        return lag;
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    Duration copyElapsed() {
        if (copyStartedNanos == 0) {
            return Duration.ZERO;
        }
        long end = copyEndedNanos == 0 ? System.nanoTime() : copyEndedNanos;
        return Duration.ofNanos(end - copyStartedNanos);
    }

    @Override
    public void applied(long rows) {
        applyRate.record(System.nanoTime(), eventsApplied.addAndGet(rows));
    }

    @Override
    public void backlog(long rows, BinlogPosition position) {
        backlog = rows;
        if (position != null) {
            streamerPosition = position; // formatted only when a status is asked for: this runs per binlog event
        }
    }

    @Override
    public void heartbeat(Duration measured) {
        lag = measured;
    }

    @Override
    public void failed(Throwable cause) {
        onFailure.accept(cause);
    }

    MigrationStatus snapshot() {
        long now = System.nanoTime();
        double rowsPerSecond = copyRate.perSecond(now);
        return new MigrationStatus(table, state, rowsCopied.get(), rowEstimate, eventsApplied.get(), backlog, lag,
                elapsed(), copyElapsed(), eta(rowsPerSecond), throttleReason.get(), chunkSize.get(),
                streamerPosition == null ? "" : streamerPosition.file() + ":" + streamerPosition.offset(),
                rowsPerSecond, applyRate.perSecond(now));
    }

    private Optional<Duration> eta(double rowsPerSecond) {
        long remaining = rowEstimate - rowsCopied.get();
        if (state != MigrationState.COPYING) {
            return Optional.empty();
        }
        if (remaining <= 0) {
            return Optional.of(Duration.ZERO);
        }
        if (rowsPerSecond <= 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos((long) (remaining / rowsPerSecond * 1e9)));
    }
}
