package dev.ghost.internal.apply;

import dev.ghost.internal.changelog.Changelog;
import dev.ghost.internal.sql.ColumnValues;
import dev.ghost.internal.sql.ServerConnections;
import dev.ghost.internal.sql.Sql;
import dev.ghost.spi.BinlogPosition;
import dev.ghost.spi.ColumnSchema;
import dev.ghost.spi.EventSink;
import dev.ghost.spi.RowsEvent;
import dev.ghost.spi.StatementEvent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

/**
 * Applies the binlog's row changes to the ghost table on its own thread, in binlog order. The event source hands
 * events in through {@link EventSink}; they queue here (the backlog), and the replay drains the queue in
 * transactions of up to dml-batch-size rows, flushing early whenever the queue runs dry so that latency stays low.
 * Changelog events travel in the same queue: a cut-over marker completes only after every event before it was
 * committed. Statements that name a watched table ({@link StatementGuard}) stop the migration; once one has, no
 * marker completes, so no cut-over that starts after it in the binlog can pass its catch-up.
 */
public final class Replayer implements EventSink, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Replayer.class);
    /** Events (not rows) the queue holds before the event source is made to wait. */
    private static final int QUEUE_CAPACITY = 50_000;
    /** Rows per statement: keeps packets well below max_allowed_packet while batching generously. */
    private static final int ROWS_PER_STATEMENT = 500;
    private static final int ATTEMPTS_PER_BATCH = 10;

    private final ReplayPlan plan;
    private final List<ColumnSchema> changelogColumns;
    private final ServerConnections connections;
    private final IntSupplier dmlBatchSize;
    private final ReplayObserver observer;
    private final StatementCheck warningCheck;
    private final ReplaySql sql;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong backlogRows = new AtomicLong();
    private final Map<String, CompletableFuture<Void>> markers = new ConcurrentHashMap<>();
    /** Markers that open (true) or close (false) the window in which a cut-over's renames pass. */
    private final Map<String, Boolean> renameWindowMarkers = new ConcurrentHashMap<>();
    private final StatementGuard statements;
    /** The failure of the first statement that stopped the migration; from then on every marker fails with it. */
    private final AtomicReference<RuntimeException> stoppedByStatement = new AtomicReference<>();
    private final Object drained = new Object();
    private volatile BinlogPosition streamerPosition;
    private volatile boolean stopping;
    private Thread thread;

    /** Sees each replay statement right after it ran, before its connection runs anything else. */
    @FunctionalInterface
    public interface StatementCheck {
        /** Throws to stop the migration (the data-loss guard). */
        void check(Statement statement) throws SQLException;

        /** Sees a warning the replay found itself (a row a REPLACE would wrongly delete); throws to stop. */
        default void check(SQLWarning warning) throws SQLException {
        }
    }

    /** An entry of the changelog, kept in binlog order with the row events. */
    private record ChangelogEntry(Changelog.Entry entry) {
    }

    /** A statement that may be a cut-over's rename, kept in binlog order to be judged on the replay thread. */
    private record LoggedStatement(StatementEvent event) {
    }

    /**
     * @param warningCheck sees every replay statement right after it ran; throws to stop the migration (the
     *                     data-loss guard), or ignores its warnings
     */
    public Replayer(ReplayPlan plan, List<ColumnSchema> changelogColumns, ServerConnections connections,
                    IntSupplier dmlBatchSize, ReplayObserver observer, StatementCheck warningCheck) {
        this.plan = plan;
        this.changelogColumns = List.copyOf(changelogColumns);
        this.connections = connections;
        this.dmlBatchSize = dmlBatchSize;
        this.observer = observer;
        this.warningCheck = warningCheck;
        this.sql = new ReplaySql(plan);
        this.statements = new StatementGuard(plan);
    }

    public synchronized void start() {
        thread = new Thread(this::run, "ghost-replay-" + plan.original().name());
        thread.setDaemon(true);
        thread.start();
    }

    // ---- EventSink: called on the event source's thread ----

    @Override
    public void accept(RowsEvent event) throws InterruptedException {
        streamerPosition = event.position();
        if (event.table().equals(plan.changelog())) {
            for (Changelog.Entry entry : Changelog.entries(event, changelogColumns)) {
                queue.put(new ChangelogEntry(entry));
            }
        } else if (event.table().equals(plan.original())) {
            backlogRows.addAndGet(event.rowCount());
            queue.put(event);
        }
        observer.backlog(backlogRows.get(), streamerPosition);
    }

    /**
     * Any statement but a rename stops the migration at once: nothing makes it acceptable, and stopping here, before
     * the source reads further, keeps every later marker from completing. A rename waits its turn in the queue:
     * only the replay thread knows, in binlog order, whether a cut-over is renaming.
     */
    @Override
    public void statement(StatementEvent event) throws InterruptedException {
        if (StatementGuard.mayBeCutoverRename(event)) {
            queue.put(new LoggedStatement(event));
        } else {
            stop(statements.failure(event));
        }
    }

    @Override
    public void failed(Throwable cause) {
        observer.failed(cause);
    }

    private void stop(RuntimeException failure) {
        stoppedByStatement.compareAndSet(null, failure);
        RuntimeException first = stoppedByStatement.get();
        markers.values().forEach(marker -> marker.completeExceptionally(first));
        observer.failed(first);
    }

    // ---- control ----

    /** Rows waiting to be applied. */
    public long backlog() {
        return backlogRows.get();
    }

    /**
     * Registers interest in a marker; the future completes once the marker arrives and everything before it has
     * been committed. Register before writing the marker.
     */
    public CompletableFuture<Void> expectMarker(String token) {
        CompletableFuture<Void> marker = markers.computeIfAbsent(token, t -> new CompletableFuture<>());
        RuntimeException stopped = stoppedByStatement.get(); // read after registering: stop() sees it or we see stop
        if (stopped != null) {
            marker.completeExceptionally(stopped);
        }
        return marker;
    }

    /**
     * From the marker {@code token} on, in binlog order, statements that only rename tables pass ({@code true}):
     * the cut-over that wrote the marker renames next. {@code false} ends that window at a marker written after a
     * failed attempt, so that a rename by anyone else stops the migration again. Register before writing the marker.
     */
    public void renamesPassFrom(String token, boolean pass) {
        renameWindowMarkers.put(token, pass);
    }

    public void forgetMarker(String token) {
        markers.remove(token);
    }

    /** Blocks until at most {@code rows} rows wait, or the timeout passes. Returns whether the backlog got there. */
    public boolean awaitBacklogAtMost(long rows, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (drained) {
            while (backlogRows.get() > rows) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(drained, left);
            }
            return true;
        }
    }

    @Override
    public void close() {
        stopping = true;
        Thread running = thread;
        if (running != null) {
            running.interrupt();
            try {
                running.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        markers.values().forEach(f -> f.completeExceptionally(new IllegalStateException("replay stopped")));
    }

    // ---- the replay thread ----

    private void run() {
        try (Connection connection = connections.open()) {
            connection.setAutoCommit(false);
            ReplayBatch batch = newBatch();
            RowsEvent lastEvent = null;
            while (!stopping) {
                Object item = batch.isEmpty() ? queue.poll(200, TimeUnit.MILLISECONDS) : queue.poll();
                if (item == null) {
                    if (!batch.isEmpty()) {
                        // The queue ran dry: apply what we have now rather than wait for a full batch.
                        apply(connection, batch, lastEvent);
                        batch = newBatch();
                    }
                    continue;
                }
                if (item instanceof RowsEvent event) {
                    batch.add(event);
                    lastEvent = event;
                    if (batch.size() >= dmlBatchSize.getAsInt()) {
                        apply(connection, batch, lastEvent);
                        batch = newBatch();
                    }
                } else if (item instanceof LoggedStatement logged) {
                    if (!batch.isEmpty()) {
                        apply(connection, batch, lastEvent);
                        batch = newBatch();
                    }
                    if (!statements.isCutoverRename(logged.event())) {
                        stop(statements.failure(logged.event()));
                        return;
                    }
                    log.info("the cut-over's rename reached the binlog: {}", logged.event().shortenedSql(300));
                } else if (item instanceof ChangelogEntry entry) {
                    if (!batch.isEmpty()) {
                        apply(connection, batch, lastEvent);
                        batch = newBatch();
                    }
                    onChangelog(entry.entry());
                }
            }
        } catch (InterruptedException e) {
            if (!stopping) {
                observer.failed(e);
            }
        } catch (Exception e) {
            if (!stopping) {
                log.error("replay failed: {}", e.getMessage());
                observer.failed(e);
            }
        }
    }

    private ReplayBatch newBatch() {
        return new ReplayBatch(plan.keyColumns(), plan.keyNeedsOrderedReplay(), plan.deleteBeforeReplace());
    }

    private void onChangelog(Changelog.Entry entry) {
        if (Changelog.HEARTBEAT.equals(entry.hint())) {
            try {
                long written = Long.parseLong(entry.value());
                observer.heartbeat(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - written)));
            } catch (NumberFormatException ignored) {
                // not one of ours
            }
            return;
        }
        Changelog.markerToken(entry).ifPresent(token -> {
            Boolean renamesPass = renameWindowMarkers.remove(token);
            if (renamesPass != null) {
                statements.renamesExpected(renamesPass);
            }
            CompletableFuture<Void> marker = markers.remove(token);
            if (marker != null) {
                RuntimeException stopped = stoppedByStatement.get();
                if (stopped != null) {
                    marker.completeExceptionally(stopped); // a statement before it in the binlog stopped the migration
                } else {
                    marker.complete(null);
                }
            }
        });
    }

    private void apply(Connection connection, ReplayBatch batch, RowsEvent lastEvent)
            throws SQLException, InterruptedException {
        List<ReplayBatch.Group> groups = batch.groups();
        for (int attempt = 1; ; attempt++) {
            try {
                for (ReplayBatch.Group group : groups) {
                    write(connection, group);
                }
                connection.commit();
                break;
            } catch (SQLException e) {
                connection.rollback();
                if (!Sql.isRetryable(e) || attempt >= ATTEMPTS_PER_BATCH) {
                    throw e;
                }
                log.debug("replay batch attempt {} failed ({}); retrying", attempt, e.getMessage());
                Thread.sleep(10L * attempt);
            }
        }
        long rows = batch.rows();
        long left = backlogRows.addAndGet(-rows);
        observer.applied(rows, lastEvent == null ? null : lastEvent.position());
        observer.backlog(left, streamerPosition);
        synchronized (drained) {
            drained.notifyAll();
        }
    }

    private void write(Connection connection, ReplayBatch.Group group) throws SQLException {
        List<Object[]> rows = group.rows();
        boolean replace = group.kind() == ReplayBatch.Kind.REPLACE;
        // Where a REPLACE must never delete another row, one image per statement, each looked at first: then the
        // only row it may delete is its own previous version.
        int perStatement = replace && !plan.evictionChecks().isEmpty() ? 1 : ROWS_PER_STATEMENT;
        for (int from = 0; from < rows.size(); from += perStatement) {
            List<Object[]> slice = rows.subList(from, Math.min(rows.size(), from + perStatement));
            if (perStatement == 1) {
                refuseEviction(connection, slice.get(0));
            }
            List<ColumnSchema> columns = replace ? sql.rowColumns() : sql.keyColumns();
            try (PreparedStatement statement = connection.prepareStatement(
                    replace ? sql.replace(slice.size()) : sql.delete(slice.size()))) {
                int index = 1;
                for (Object[] image : slice) {
                    for (ColumnSchema column : columns) {
                        ColumnValues.bind(statement, index++, image[column.index()]);
                    }
                }
                statement.executeUpdate();
                warningCheck.check(statement);
            }
        }
    }

    /**
     * Reports, as the duplicate warning a plain INSERT would give, a ghost row that REPLACE would delete because it
     * holds the image's value of a unique key the original does not enforce: the data-loss guard then stops.
     */
    private void refuseEviction(Connection connection, Object[] image) throws SQLException {
        for (ReplayPlan.UniqueCheck check : plan.evictionChecks()) {
            if (check.sourceColumns().stream().anyMatch(c -> image[c.index()] == null)) {
                continue; // NULLs never collide
            }
            try (PreparedStatement statement = connection.prepareStatement(sql.evictions(check))) {
                int index = 1;
                for (ColumnSchema column : check.sourceColumns()) {
                    ColumnValues.bind(statement, index++, image[column.index()]);
                }
                for (ColumnSchema column : sql.keyColumns()) {
                    ColumnValues.bind(statement, index++, image[column.index()]);
                }
                try (ResultSet found = statement.executeQuery()) {
                    if (found.next()) {
                        warningCheck.check(new SQLWarning("Duplicate entry '" + found.getString(1) + "' for key '"
                                + check.name() + "'", "23000", 1062));
                    }
                }
            }
        }
    }
}
