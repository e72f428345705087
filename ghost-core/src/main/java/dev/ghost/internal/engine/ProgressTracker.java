package dev.ghost.internal.engine;

import dev.ghost.MigrationState;
import dev.ghost.MigrationStatus;
import dev.ghost.internal.apply.ReplayObserver;
import dev.ghost.spi.BinlogPosition;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The counters of one migration, written by its threads and read as {@link MigrationStatus} snapshots.
 * The ETA comes from the copy rate over the last {@value #RATE_WINDOW_SECONDS} seconds.
 */
final class ProgressTracker implements ReplayObserver {

    private static final long RATE_WINDOW_SECONDS = 10;

    private final String table;
    private final long startedNanos = System.nanoTime();
    private final AtomicLong rowsCopied = new AtomicLong();
    private final AtomicLong eventsApplied = new AtomicLong();
    private final Deque<long[]> copySamples = new ArrayDeque<>(); // {nanos, rowsCopied}
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
        long total = rowsCopied.addAndGet(rows);
        long now = System.nanoTime();
        synchronized (copySamples) {
            copySamples.addLast(new long[] {now, total});
            while (copySamples.size() > 2 && now - copySamples.peekFirst()[0] > RATE_WINDOW_SECONDS * 1_000_000_000L) {
                copySamples.removeFirst();
            }
        }
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
    public void applied(long rows, BinlogPosition position) {
        eventsApplied.addAndGet(rows);
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
        return new MigrationStatus(table, state, rowsCopied.get(), rowEstimate, eventsApplied.get(), backlog, lag,
                elapsed(), copyElapsed(), eta(), throttleReason.get(), chunkSize.get(),
                streamerPosition == null ? "" : streamerPosition.file() + ":" + streamerPosition.offset());
    }

    private Optional<Duration> eta() {
        long copied = rowsCopied.get();
        long remaining = rowEstimate - copied;
        if (state != MigrationState.COPYING) {
            return Optional.empty();
        }
        if (remaining <= 0) {
            return Optional.of(Duration.ZERO);
        }
        synchronized (copySamples) {
            if (copySamples.size() < 2) {
                return Optional.empty();
            }
            long[] first = copySamples.peekFirst();
            long[] last = copySamples.peekLast();
            double rowsPerNano = (double) (last[1] - first[1]) / Math.max(1, last[0] - first[0]);
            if (rowsPerNano <= 0) {
                return Optional.empty();
            }
            return Optional.of(Duration.ofNanos((long) (remaining / rowsPerNano)));
        }
    }
}
