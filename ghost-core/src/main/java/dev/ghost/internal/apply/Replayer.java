package dev.ghost.internal.apply;

import dev.ghost.MigrationFailedException;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

/**
 * Applies the binlog's changes to the ghost table: Spirit's key-set replay. The binlog tells <em>which</em> keys of
 * the original changed; the original holds their current state. So the event source's thread reduces each row event
 * to the keys it touched and whether each key's row is now gone (DELETE) or present (UPSERT), and queues only those
 * keys ({@link KeyQueue}: deduplicated, bounded in bytes); the replay thread takes them in rounds of distinct keys and
 * applies each round in two phases: {@code DELETE FROM ghost WHERE key IN (...)} for the keys whose rows are gone,
 * then {@code REPLACE INTO ghost (...) SELECT ... FROM original WHERE key IN (...) LOCK IN SHARE MODE} for the rest.
 * Row images are never kept and row bytes never cross the network; values convert exactly as the copy converts them.
 *
 * <p><b>Why reading the current state is right.</b> The row read may be newer than the event that named its key:
 * any later change has its own later event, which names the key again and copies it again, so the ghost ends with
 * the original's state once the replay has caught up. The read must be a locking read: the server writes a
 * transaction to the binlog before its commit becomes visible to other transactions, so a consistent read could
 * still see the row as it was before the change whose event we apply, and no later event would fix that. A shared
 * lock waits for the writer's commit, then reads the committed row.
 *
 * <p><b>Why deletes come first.</b> Keys are compared by value in Java, but a text key compares under its collation:
 * 'a' and 'A' may be one row. Each round deletes all its deleted keys, and commits, before it copies any row again;
 * the round that holds a row's last change then leaves it as the original has it, whatever order the other keys of
 * the round run in. Within a phase the keys are split by hash into partitions applied at once, each on its own
 * connection ({@code threads}), each partition one transaction, retried on deadlocks and lock wait timeouts.
 *
 * <p><b>Under the cut-over's lock</b> the original cannot be read: the lock holder is another session. So before a
 * cut-over locks it, the engine calls {@link #keepRowImages}: from then on each queued key keeps its row's last image
 * (the queue's bound counts it), and upserts write those images as they are, as a row-image replay does; a marker
 * proves that every key queued before, without an image, has been applied. The backlog is small by then (the
 * cut-over waits for it), so the images take little memory for the short time they are kept.
 *
 * <p>Changelog entries travel in the same queue as barriers: a cut-over marker completes only after every key queued
 * before it was committed. Statements that name a watched table ({@link StatementGuard}) stop the migration; once one
 * has, no marker completes, so no cut-over that starts after it in the binlog can pass its catch-up.
 */
public final class Replayer implements EventSink, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Replayer.class);
    /** The queue's bound when none is given: 32 MB, or an eighth of the heap when that is smaller. */
    public static final long DEFAULT_QUEUE_BYTES = Math.min(32L << 20, Runtime.getRuntime().maxMemory() / 8);
    /** Keys per statement at most; fewer when their values are large (see {@link #STATEMENT_KEY_BYTES}). */
    private static final int KEYS_PER_STATEMENT = 500;
    /**
     * Estimated key bytes per statement at most: the keys are the statement's only data, rendered as literals at
     * up to twice their size, so this keeps statements far below any max_allowed_packet (1 MB at the least).
     */
    private static final long STATEMENT_KEY_BYTES = 128 * 1024;
    /** Estimated image bytes per statement at most, where images are written (see {@link #keepRowImages}). */
    private static final long STATEMENT_IMAGE_BYTES = 2L << 20;
    /** Images up to this size are kept while the queue has room (see {@link #cheapToKeep}). */
    private static final long CHEAP_IMAGE_BYTES = 16 * 1024;

    private final ReplayPlan plan;
    private final List<ColumnSchema> changelogColumns;
    private final ServerConnections connections;
    private final IntSupplier dmlBatchSize;
    private final int threads;
    private final ReplayObserver observer;
    private final StatementCheck warningCheck;
    private final ReplaySql sql;
    private final KeyReduction reduction;
    private final KeyQueue queue;
    private final Map<String, CompletableFuture<BinlogPosition>> markers = new ConcurrentHashMap<>();
    /** Markers that open (true) or close (false) the window in which a cut-over's renames pass. */
    private final Map<String, Boolean> renameWindowMarkers = new ConcurrentHashMap<>();
    private final StatementGuard statements;
    /** Ghost's own statements on its tables, which pass once (see {@link #expectStatement}). */
    private final java.util.Set<String> expectedStatements = ConcurrentHashMap.newKeySet();
    /** Written on the source's thread once set: see {@link #passHistoryUntil}. */
    private volatile String historyUntil;
    /** The failure of the first statement that stopped the migration; from then on every marker fails with it. */
    private final AtomicReference<RuntimeException> stoppedByStatement = new AtomicReference<>();
    private volatile BinlogPosition streamerPosition;
    private volatile boolean stopping;
    /** The cut-over renamed the ghost into the original's place: later row events are the new table's own. */
    private boolean swapped;
    /** Whether keys are queued with their rows' images, to be applied without reading the original. */
    private volatile boolean keepImages;
    /**
     * While set, nothing is written to the ghost table: it carries the original's triggers (created under the
     * cut-over's lock), which must not fire for a replayed change. Rounds wait until it is cleared.
     */
    private boolean applyHeld;
    private final Object applyGate = new Object();
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
    private record ChangelogEntry(Changelog.Entry entry, BinlogPosition position) {
    }

    /** A statement that may be a cut-over's rename, kept in binlog order to be judged on the replay thread. */
    private record LoggedStatement(StatementEvent event) {
    }

    /**
     * @param dmlBatchSize keys per partition and round (a round takes {@code dmlBatchSize * threads} keys)
     * @param threads      connections that apply a round's partitions at once
     * @param queueBytes   the bound of the key queue, in estimated bytes; the event source waits when it is reached
     * @param warningCheck sees every replay statement right after it ran; throws to stop the migration (the
     *                     data-loss guard), or ignores its warnings
     */
    public Replayer(ReplayPlan plan, List<ColumnSchema> changelogColumns, ServerConnections connections,
                    IntSupplier dmlBatchSize, int threads, long queueBytes, ReplayObserver observer,
                    StatementCheck warningCheck) {
        if (threads < 1) {
            throw new IllegalArgumentException("replay threads must be at least 1: " + threads);
        }
        this.plan = plan;
        this.changelogColumns = List.copyOf(changelogColumns);
        this.connections = connections;
        this.dmlBatchSize = dmlBatchSize;
        this.threads = threads;
        this.reduction = new KeyReduction(plan.keyColumns());
        this.queue = new KeyQueue(queueBytes);
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
                String until = historyUntil;
                if (until != null && Changelog.markerToken(entry).filter(until::equals).isPresent()) {
                    historyUntil = null; // on the source's thread, in binlog order: later statements are judged
                    log.info("the revert's stream has passed its migration's cut-over and clean-up");
                }
                queue.putBarrier(new ChangelogEntry(entry, event.position()));
            }
        } else if (event.table().equals(plan.original())) {
            boolean images = keepImages;
            reduction.reduce(event, (key, op, rows, image) ->
                    queue.put(key, op, rows, images || cheapToKeep(key, image) ? image : null, !images));
        }
        observer.backlog(queue.backlog(), streamerPosition);
    }

    /**
     * Whether to keep a row's image although the original could be read: writing an image spares the server the
     * locking read of the original (measured on a sysbench load: the backlog drains about a third faster, and the
     * application keeps more of its throughput). The queue's bound counts images, so memory stays bounded; only small
     * images, so that wide rows still go by key (a statement of wide images would outgrow max_allowed_packet), and
     * never for a key holding a NULL, whose delete must bring back from the original the other rows sharing it.
     */
    private boolean cheapToKeep(ReplayKey key, Object[] image) {
        return image != null && ReplayKey.estimatedBytes(image) <= CHEAP_IMAGE_BYTES && !key.hasNull();
    }

    /**
     * Any statement but a rename stops the migration at once: nothing makes it acceptable, and stopping here, before
     * the source reads further, keeps every later marker from completing. A rename waits its turn in the queue:
     * only the replay thread knows, in binlog order, whether a cut-over is renaming.
     */
    @Override
    public void statement(StatementEvent event) throws InterruptedException {
        if (historyUntil != null && (StatementGuard.mayBeCutoverRename(event)
                || event.tables().stream().allMatch(plan.changelog()::equals))) {
            log.info("before the revert started, passing: {}", event.shortenedSql(300));
            return;
        }
        if (expectedStatements.remove(event.sql().trim())
                || expectedStatements.remove(withoutDefiner(event.sql().trim()))) {
            log.info("ghost's own statement reached the binlog: {}", event.shortenedSql(300));
            return;
        }
        if (StatementGuard.mayBeCutoverRename(event)) {
            queue.putBarrier(new LoggedStatement(event));
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

    /** Changed keys waiting to be applied (a key changed many times counts once). */
    public long backlog() {
        return queue.backlog();
    }

    /** Keys one round of the replay takes at most: a measure of how much backlog is a lot. */
    public int roundKeys() {
        return Math.max(1, dmlBatchSize.getAsInt()) * threads;
    }

    /**
     * Registers interest in a marker; the future completes once the marker arrives and everything before it has
     * been committed, with the marker's position in the binlog (a stream started there again loses nothing that
     * came after what was applied). Register before writing the marker.
     */
    public CompletableFuture<BinlogPosition> expectMarker(String token) {
        CompletableFuture<BinlogPosition> marker = markers.computeIfAbsent(token, t -> new CompletableFuture<>());
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

    /**
     * A revert's stream starts at its migration's cut-over: until the marker {@code token} arrives, renames and
     * statements on the changelog alone (the cut-over's, that run's clean-up, this run's changelog) pass. Any other
     * statement on a watched table still stops the migration. Call before the stream starts.
     */
    public void passHistoryUntil(String token) {
        historyUntil = token;
    }

    /**
     * From now on, keys are queued with their rows' last images and applied from them, without reading the
     * original: a cut-over locks the original, and a key changed just before the lock could not be read under it.
     * Every key queued without an image is applied before a marker written after this call completes.
     */
    public void keepRowImages() {
        keepImages = true;
    }

    /**
     * Lets one statement pass, once, when it reaches the binlog with exactly this text: ghost's own change to the
     * ghost table (its deferred indexes). Register before running it.
     */
    public void expectStatement(String sql) {
        expectedStatements.add(sql.trim());
    }

    /**
     * A {@code DEFINER=} clause the server wrote into a logged {@code CREATE ... TRIGGER/VIEW/...} itself: MySQL and
     * MariaDB log {@code CREATE TRIGGER} as {@code CREATE DEFINER=`u`@`h` TRIGGER}, which ghost cannot know in advance.
     */
    private static final java.util.regex.Pattern LOGGED_DEFINER = java.util.regex.Pattern.compile(
            "^(CREATE\\s+)DEFINER\\s*=\\s*(?:`(?:[^`]|``)*`|'(?:[^']|'')*'|[^\\s@`']+)"
                    + "(?:@(?:`(?:[^`]|``)*`|'(?:[^']|'')*'|[^\\s`']+))?\\s+",
            java.util.regex.Pattern.CASE_INSENSITIVE);

    /** {@code sql} without the definer the server inserted (see {@link #LOGGED_DEFINER}); else unchanged. */
    static String withoutDefiner(String sql) {
        java.util.regex.Matcher matcher = LOGGED_DEFINER.matcher(sql);
        return matcher.find() ? matcher.group(1) + sql.substring(matcher.end()) : sql;
    }

    /**
     * Holds ({@code true}) or resumes ({@code false}) every write to the ghost table. Held while the ghost carries the
     * original's triggers before the swap: a change replayed then (after a failed cut-over attempt unlocked the
     * original) would fire them a second time. Rounds wait; rows seen after the swap are settled without writing, as
     * always.
     */
    public void holdApply(boolean hold) {
        synchronized (applyGate) {
            applyHeld = hold;
            applyGate.notifyAll();
        }
    }

    private void awaitApplyAllowed() throws InterruptedException {
        synchronized (applyGate) {
            while (applyHeld && !stopping) {
                applyGate.wait(200);
            }
        }
    }

    public void forgetMarker(String token) {
        markers.remove(token);
    }

    /** Blocks until at most {@code keys} keys wait, or the timeout passes. Returns whether the backlog got there. */
    public boolean awaitBacklogAtMost(long keys, Duration timeout) throws InterruptedException {
        return queue.awaitBacklogAtMost(keys, timeout.toNanos(), TimeUnit.NANOSECONDS);
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
        try (ReplayWorkers workers = new ReplayWorkers(connections, threads,
                "ghost-replay-" + plan.original().name() + "-worker")) {
            while (!stopping) {
                Object item = queue.take(roundKeys(), 200, TimeUnit.MILLISECONDS);
                if (item instanceof KeyBatch batch) {
                    if (!swapped) {
                        if (batch.nullKeyWithoutOriginal().isPresent()) {
                            stop(nullKeyAtCutover());
                            return;
                        }
                        awaitApplyAllowed();
                        if (stopping) {
                            return;
                        }
                        apply(workers, batch);
                    } else {
                        settle(batch); // the original's name now belongs to the ghost: its rows are not ours
                    }
                } else if (item instanceof LoggedStatement logged) {
                    if (!statements.isCutoverRename(logged.event())) {
                        stop(statements.failure(logged.event()));
                        return;
                    }
                    log.info("the cut-over's rename reached the binlog: {}", logged.event().shortenedSql(300));
                    swapped |= logged.event().tables().contains(plan.ghost());
                } else if (item instanceof ChangelogEntry entry) {
                    onChangelog(entry.entry(), entry.position());
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

    private void onChangelog(Changelog.Entry entry, BinlogPosition position) {
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
            CompletableFuture<BinlogPosition> marker = markers.remove(token);
            if (marker != null) {
                RuntimeException stopped = stoppedByStatement.get();
                if (stopped != null) {
                    marker.completeExceptionally(stopped); // a statement before it in the binlog stopped the migration
                } else {
                    marker.complete(position);
                }
            }
        });
    }

    /**
     * Fails closed: a row whose nullable key holds a NULL changed while the cut-over was prepared, when the replay
     * writes row images and cannot read the original to bring back the other rows that share that NULL.
     */
    private MigrationFailedException nullKeyAtCutover() {
        return new MigrationFailedException("migration of " + plan.original().quoted() + " stopped: a row whose key "
                + plan.keyName() + " holds a NULL changed while the cut-over was being prepared, when ghost cannot "
                + "tell apart the rows that share a NULL key value. Nothing was cut over: the original table is in "
                + "place. Run the migration again at a quieter time, or choose a unique key whose columns are NOT NULL",
                null, List.of());
    }

    /** Counts a round as done without writing it (after the swap). */
    private void settle(KeyBatch batch) {
        queue.applied(batch);
        observer.backlog(queue.backlog(), streamerPosition);
    }

    /** Applies a round: every partition's deletes, committed, then every partition's upserts, committed. */
    private void apply(ReplayWorkers workers, KeyBatch batch) throws SQLException, InterruptedException {
        List<KeyBatch.Partition> partitions = batch.partitions(workers.size(), plan.deleteBeforeReplace());
        List<ReplayWorkers.Work> deletes = new ArrayList<>();
        List<ReplayWorkers.Work> upserts = new ArrayList<>();
        for (KeyBatch.Partition partition : partitions) {
            deletes.add(partition.deletes().isEmpty() ? null : c -> delete(c, partition.deletes()));
            upserts.add(partition.upserts().isEmpty() ? null
                    : c -> upsert(c, partition.upserts(), partition.images()));
        }
        if (!plan.evictionChecks().isEmpty()) {
            // A REPLACE must never delete another row: all upserts on one connection, each statement looked at
            // first, so that each sees every row the ones before it wrote.
            List<ReplayKey> keys = partitions.stream().flatMap(p -> p.upserts().stream()).toList();
            List<Object[]> images = partitions.stream().flatMap(p -> p.images().stream()).toList();
            upserts = new ArrayList<>(Collections.nCopies(workers.size(), null));
            if (!keys.isEmpty()) {
                upserts.set(0, c -> upsert(c, keys, images));
            }
        }
        if (deletes.stream().anyMatch(Objects::nonNull)) {
            workers.runAll(deletes);
        }
        if (upserts.stream().anyMatch(Objects::nonNull)) {
            workers.runAll(upserts);
        }
        queue.applied(batch);
        observer.applied(batch.rows());
        observer.backlog(queue.backlog(), streamerPosition);
    }

    private void delete(Connection connection, List<ReplayKey> keys) throws SQLException {
        for (List<ReplayKey> slice : statements(keys)) {
            try (PreparedStatement statement = connection.prepareStatement(sql.delete(slice.size()))) {
                bindKeys(statement, 1, slice);
                statement.executeUpdate();
                warningCheck.check(statement);
            }
        }
    }

    /** Writes the keys' rows again: from their images where kept, else from the original. */
    private void upsert(Connection connection, List<ReplayKey> keys, List<Object[]> images) throws SQLException {
        List<ReplayKey> selected = new ArrayList<>();
        List<Object[]> imaged = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            if (images.get(i) == null) {
                selected.add(keys.get(i));
            } else {
                imaged.add(images.get(i));
            }
        }
        if (!imaged.isEmpty()) {
            replaceImages(connection, imaged);
        }
        for (List<ReplayKey> slice : statements(selected)) {
            refuseEviction(connection, slice);
            try (PreparedStatement statement = connection.prepareStatement(sql.upsert(slice.size()))) {
                bindKeys(statement, 1, slice);
                statement.executeUpdate();
                warningCheck.check(statement);
            }
        }
    }

    /**
     * Writes row images as they are: one statement per image where a REPLACE must never delete another row (each
     * looked at first: then the only row it may delete is its own previous version), else several, well below
     * max_allowed_packet.
     */
    private void replaceImages(Connection connection, List<Object[]> images) throws SQLException {
        boolean checked = !plan.evictionChecks().isEmpty();
        int from = 0;
        while (from < images.size()) {
            int to = from;
            long bytes = 0;
            while (to < images.size() && (to == from || (!checked && to - from < KEYS_PER_STATEMENT
                    && bytes + ReplayKey.estimatedBytes(images.get(to)) <= STATEMENT_IMAGE_BYTES))) {
                bytes += ReplayKey.estimatedBytes(images.get(to));
                to++;
            }
            List<Object[]> slice = images.subList(from, to);
            if (checked) {
                refuseEviction(connection, slice.get(0));
            }
            try (PreparedStatement statement = connection.prepareStatement(sql.replaceImages(slice.size()))) {
                int index = 1;
                for (Object[] image : slice) {
                    for (ColumnSchema column : plan.sourceColumns()) {
                        ColumnValues.bind(statement, index++, image[column.index()]);
                    }
                }
                statement.executeUpdate();
                warningCheck.check(statement);
            }
            from = to;
        }
    }

    /** Like {@link #refuseEviction(Connection, List)}, for one image, looking at the ghost only. */
    private void refuseEviction(Connection connection, Object[] image) throws SQLException {
        for (ReplayPlan.UniqueCheck check : plan.evictionChecks()) {
            if (check.sourceColumns().stream().anyMatch(c -> image[c.index()] == null)) {
                continue; // NULLs never collide
            }
            try (PreparedStatement statement = connection.prepareStatement(sql.imageEvictions(check))) {
                int index = 1;
                for (ColumnSchema column : check.sourceColumns()) {
                    ColumnValues.bind(statement, index++, image[column.index()]);
                }
                for (ColumnSchema column : plan.keyColumns()) {
                    ColumnValues.bind(statement, index++, image[column.index()]);
                }
                try (ResultSet found = statement.executeQuery()) {
                    if (found.next()) {
                        warningCheck.check(duplicate(found.getString(1), check));
                    }
                }
            }
        }
    }

    /** The warning a plain INSERT would give for the row that a REPLACE would delete through {@code check}'s key. */
    private static SQLWarning duplicate(String value, ReplayPlan.UniqueCheck check) {
        return new SQLWarning("Duplicate entry '" + value + "' for key '" + check.name() + "'", "23000", 1062);
    }

    /** The keys in slices of one statement each: by count, and by the keys' bytes. */
    static List<List<ReplayKey>> statements(List<ReplayKey> keys) {
        List<List<ReplayKey>> slices = new ArrayList<>();
        int from = 0;
        long bytes = 0;
        for (int i = 0; i < keys.size(); i++) {
            long size = keys.get(i).estimatedBytes();
            if (i > from && (i - from >= KEYS_PER_STATEMENT || bytes + size > STATEMENT_KEY_BYTES)) {
                slices.add(keys.subList(from, i));
                from = i;
                bytes = 0;
            }
            bytes += size;
        }
        if (from < keys.size()) {
            slices.add(keys.subList(from, keys.size()));
        }
        return slices;
    }

    private static int bindKeys(PreparedStatement statement, int first, List<ReplayKey> keys) throws SQLException {
        int index = first;
        for (ReplayKey key : keys) {
            for (int column = 0; column < key.columns(); column++) {
                ColumnValues.bind(statement, index++, key.value(column));
            }
        }
        return index;
    }

    /**
     * Reports, as the duplicate warning a plain INSERT would give, a row that the upsert of {@code keys} would delete
     * because it holds the same value of a unique key the original does not enforce: a ghost row of another key, or
     * another of the original's rows in the same statement. The data-loss guard then stops.
     */
    private void refuseEviction(Connection connection, List<ReplayKey> keys) throws SQLException {
        for (ReplayPlan.UniqueCheck check : plan.evictionChecks()) {
            for (String query : List.of(sql.evictions(check, keys.size()), sql.duplicatesAmong(check, keys.size()))) {
                try (PreparedStatement statement = connection.prepareStatement(query)) {
                    bindKeys(statement, 1, keys);
                    try (ResultSet found = statement.executeQuery()) {
                        if (found.next()) {
                            warningCheck.check(duplicate(found.getString(1), check));
                        }
                    }
                }
            }
        }
    }
}
