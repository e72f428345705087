package dev.ghost.internal.engine;

import dev.ghost.internal.copy.ChunkSizer;
import dev.ghost.internal.copy.ChunkedRowCopier;
import dev.ghost.internal.copy.CopyThreads;
import dev.ghost.internal.sql.ServerConnections;
import dev.ghost.internal.throttle.Throttler;
import dev.ghost.spi.ColumnSchema;
import dev.ghost.spi.CopyContext;
import dev.ghost.spi.CopyPlan;
import dev.ghost.spi.RowCopyStrategy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The copy phase: runs the row-copy strategy, letting each chunk start only when the throttler allows it, after the
 * nice-ratio's rest, and while the replay keeps up; the data-loss guard sees every chunk's warnings.
 *
 * <p>Both must progress under load: the copy so that the migration ends, the replay so that its backlog stays
 * bounded. The copy runs on while the replay's backlog of changed keys stays below a high-water mark of a few of the
 * replay's rounds; above it the copy waits until the replay has brought the backlog under a low-water mark, then
 * runs again. The gap between the marks keeps the copy from stopping and starting on every chunk. But the copy
 * waits at most a few times as long as its last chunk took: when the writes come in about as fast as the replay
 * applies them, the backlog may never reach the low-water mark, and the copy still gets its share of the time (about
 * a fifth) instead of none; the replay gets the rest to itself.
 */
final class RowCopyPhase {

    private static final Logger log = LoggerFactory.getLogger(RowCopyPhase.class);
    /** Above this many of the replay's rounds waiting, the copy waits for the replay... */
    private static final int HIGH_WATER_ROUNDS = 8;
    /** ...until no more than this many rounds wait. */
    private static final int LOW_WATER_ROUNDS = 2;
    /** The high-water mark's floor in keys, for small rounds (a small dml-batch-size). */
    private static final long MIN_HIGH_WATER_KEYS = 1_000;
    /** The copy waits for the replay at most this many times as long as its last chunk took... */
    private static final int PATIENCE_PER_CHUNK = 4;
    /** ...but at least this long, and at most {@link #MAX_PATIENCE}. */
    private static final Duration MIN_PATIENCE = Duration.ofMillis(100);
    private static final Duration MAX_PATIENCE = Duration.ofSeconds(5);

    private final MigrationSettings settings;
    private final ServerConnections connections;
    private final ChunkSizer chunkSizer;
    private final ProgressTracker progress;
    private final ChangeStream stream;
    private final StopSignal stop;
    private final Optional<List<Object>> resumeAfter;
    private final Consumer<List<Object>> copiedThrough;

    /**
     * @param resumeAfter   where an interrupted run's copy got to (empty: copy from the start)
     * @param copiedThrough told of each advance of the copy's unbroken run of copied chunks (for checkpoints)
     */
    RowCopyPhase(MigrationSettings settings, ServerConnections connections, ChunkSizer chunkSizer,
                 ProgressTracker progress, ChangeStream stream, StopSignal stop, Optional<List<Object>> resumeAfter,
                 Consumer<List<Object>> copiedThrough) {
        this.settings = settings;
        this.connections = connections;
        this.chunkSizer = chunkSizer;
        this.progress = progress;
        this.stream = stream;
        this.stop = stop;
        this.resumeAfter = resumeAfter;
        this.copiedThrough = copiedThrough;
    }

    void run(Prepared prepared, Throttler throttler) throws Exception {
        CopyPlan plan = new CopyPlan(settings.table(), settings.ghostTable(), prepared.key().name(),
                prepared.key().columns(), prepared.sourceColumns().stream().map(ColumnSchema::name).toList(),
                prepared.targetColumns());
        RowCopyStrategy strategy = settings.rowCopyStrategy() != null ? settings.rowCopyStrategy()
                : new ChunkedRowCopier();
        int copyThreads = settings.copyThreads();
        if (copyThreads == 0) {
            try (Connection connection = connections.open()) {
                copyThreads = CopyThreads.automatic(connection);
            }
        }
        int threads = copyThreads;
        progress.copyStarted();
        if (threads > 1) {
            log.info("copying rows of {} with the {} strategy, {} chunks at a time", settings.table(), strategy.name(),
                    threads);
        } else {
            log.info("copying rows of {} with the {} strategy", settings.table(), strategy.name());
        }
        strategy.copyRows(new CopyContext() {
            @Override
            public CopyPlan plan() {
                return plan;
            }

            @Override
            public Connection openConnection() throws SQLException {
                return connections.open(ServerConnections.Role.COPY);
            }

            @Override
            public int chunkSize() {
                return chunkSizer.rows();
            }

            @Override
            public int copyThreads() {
                return threads;
            }

            @Override
            public Optional<List<Object>> resumeAfter() {
                return resumeAfter;
            }

            @Override
            public void copiedThrough(List<Object> key) {
                copiedThrough.accept(key);
            }

            /** When each copying thread started its last chunk (0: none yet): the nice-ratio rests per thread. */
            private final ThreadLocal<long[]> chunkStarted = ThreadLocal.withInitial(() -> new long[1]);

            @Override
            public void awaitPermissionToCopy() throws InterruptedException {
                stop.checkNotStopped();
                long[] started = chunkStarted.get();
                long lastChunk = started[0] == 0 ? 0 : System.nanoTime() - started[0];
                if (started[0] != 0) { // nice-ratio: the one deliberate sleep, after the chunk before
                    Duration pause = throttler.pauseAfterChunk(Duration.ofNanos(System.nanoTime() - started[0]));
                    if (!pause.isZero()) {
                        Thread.sleep(pause.toMillis(), pause.toNanosPart() % 1_000_000);
                    }
                }
                throttler.awaitNotThrottled();
                long round = stream.replayRoundKeys();
                if (stream.backlog() > Math.max(MIN_HIGH_WATER_KEYS, HIGH_WATER_ROUNDS * round)) {
                    awaitReplay(LOW_WATER_ROUNDS * round, Duration.ofNanos(Math.min(MAX_PATIENCE.toNanos(),
                            Math.max(MIN_PATIENCE.toNanos(), PATIENCE_PER_CHUNK * lastChunk))));
                }
                stop.checkNotStopped();
                started[0] = System.nanoTime();
            }

            /** Waits until the replay's backlog is down to {@code lowWater} keys, or the patience is used up. */
            private void awaitReplay(long lowWater, Duration patience) throws InterruptedException {
                long deadline = System.nanoTime() + patience.toNanos();
                while (true) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || stream.awaitBacklogAtMost(lowWater,
                            Duration.ofNanos(Math.min(left, Duration.ofSeconds(1).toNanos())))) {
                        return;
                    }
                    stop.checkNotStopped();
                }
            }

            @Override
            public void checkWarnings(Statement statement) throws SQLException {
                if (prepared.warningGuard().isPresent()) { // without the guard, not even read: no round trip
                    throwIfLosing(prepared.warningGuard().get().dataLosing(statement, "a smaller --chunk-size"));
                }
            }

            private void throwIfLosing(List<String> losing) {
                if (!losing.isEmpty()) {
                    throw Failures.dataLoss(settings.table(), "copying rows", losing);
                }
            }

            @Override
            public void checkWarnings(SQLWarning warnings) {
                prepared.warningGuard().ifPresent(guard -> throwIfLosing(guard.dataLosing(warnings)));
            }

            @Override
            public void chunkCopied(long rowsInserted, long rowsRead) {
                progress.chunkCopied(rowsInserted);
                // The chunk's time on its thread, from its permission on: what a chunk costs the foreground. A
                // strategy that reports from a thread that never asked for permission gives no time to go by.
                long started = chunkStarted.get()[0];
                if (started != 0) {
                    chunkSizer.chunkCopied(rowsRead, System.nanoTime() - started);
                }
            }
        });
        progress.copyEnded();
        log.info("Row copy complete: {} rows in {}{}", progress.rowsCopied(), GoDuration.format(progress.copyElapsed()),
                chunkSizer.adaptive() ? "; chunk size at the end: " + chunkSizer.rows() + " rows" : "");
    }
}
