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

/**
 * The copy phase: runs the row-copy strategy, letting each chunk start only when the throttler allows it, after the
 * nice-ratio's rest, and while the replay keeps up; the data-loss guard sees every chunk's warnings.
 */
final class RowCopyPhase {

    private static final Logger log = LoggerFactory.getLogger(RowCopyPhase.class);
    /** The copy waits while more rows than this wait to be replayed: the replay has priority. */
    private static final long REPLAY_PRIORITY_BACKLOG = 1_000;

    private final MigrationSettings settings;
    private final ServerConnections connections;
    private final ChunkSizer chunkSizer;
    private final ProgressTracker progress;
    private final ChangeStream stream;
    private final StopSignal stop;

    RowCopyPhase(MigrationSettings settings, ServerConnections connections, ChunkSizer chunkSizer,
                 ProgressTracker progress, ChangeStream stream, StopSignal stop) {
        this.settings = settings;
        this.connections = connections;
        this.chunkSizer = chunkSizer;
        this.progress = progress;
        this.stream = stream;
        this.stop = stop;
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
                return connections.open();
            }

            @Override
            public int chunkSize() {
                return chunkSizer.rows();
            }

            @Override
            public int copyThreads() {
                return threads;
            }

            /** When each copying thread started its last chunk (0: none yet): the nice-ratio rests per thread. */
            private final ThreadLocal<long[]> chunkStarted = ThreadLocal.withInitial(() -> new long[1]);

            @Override
            public void awaitPermissionToCopy() throws InterruptedException {
                stop.checkNotStopped();
                long[] started = chunkStarted.get();
                if (started[0] != 0) { // nice-ratio: the one deliberate sleep, after the chunk before
                    Duration pause = throttler.pauseAfterChunk(Duration.ofNanos(System.nanoTime() - started[0]));
                    if (!pause.isZero()) {
                        Thread.sleep(pause.toMillis(), pause.toNanosPart() % 1_000_000);
                    }
                }
                throttler.awaitNotThrottled();
                while (!stream.awaitBacklogAtMost(REPLAY_PRIORITY_BACKLOG, Duration.ofSeconds(1))) {
                    stop.checkNotStopped();
                }
                stop.checkNotStopped();
                started[0] = System.nanoTime();
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
