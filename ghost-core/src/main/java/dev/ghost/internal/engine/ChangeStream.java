package dev.ghost.internal.engine;

import dev.ghost.BinlogPositioning;
import dev.ghost.internal.apply.ReplayObserver;
import dev.ghost.internal.apply.ReplayPlan;
import dev.ghost.internal.apply.Replayer;
import dev.ghost.internal.changelog.Changelog;
import dev.ghost.internal.check.GtidPositioning;
import dev.ghost.internal.sql.Backoff;
import dev.ghost.internal.sql.ServerConnections;
import dev.ghost.spi.BinlogPosition;
import dev.ghost.spi.ColumnSchema;
import dev.ghost.spi.EventSource;
import dev.ghost.spi.EventSourceContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The binlog side of a migration: the event source, the replayer that applies its row events to the ghost table, and
 * the heartbeat written to the changelog. A marker written to the changelog and seen coming back through the stream
 * proves that every event before it has been applied.
 */
final class ChangeStream {

    private static final Logger log = LoggerFactory.getLogger(ChangeStream.class);
    private static final Duration STREAM_PROOF_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RESUMED_STREAM_PROOF_TIMEOUT = Duration.ofHours(6);

    private final MigrationSettings settings;
    private final ServerConnections connections;
    private final ServerConnections reading;
    private final IntSupplier dmlBatchSize;
    private final ReplayObserver observer;
    private final Changelog changelog;
    private volatile Replayer replayer;
    private volatile ScheduledFuture<?> heartbeat;
    private Heartbeat heartbeatWriter;
    private volatile EventSource source;
    /** Whether every key the replay still holds comes with its row's image (see {@link #prepareForCutover}). */
    private boolean imagesKept;
    private volatile BinlogPosition lastCutoverMarker;
    /** For a revert: the marker up to which history passes (see {@link #passHistoryUntilMarker}). */
    private String historyUntil;
    /** Statements to let pass, registered before the replay existed. */
    private final List<String> expectedBeforeStart = new java.util.ArrayList<>();

    /**
     * @param connections the server ghost writes on (replay, heartbeat, markers)
     * @param reading     the server whose binlog is read (its GTID position)
     */
    ChangeStream(MigrationSettings settings, ServerConnections connections, ServerConnections reading,
                 IntSupplier dmlBatchSize, ReplayObserver observer) {
        this.settings = settings;
        this.connections = connections;
        this.reading = reading;
        this.dmlBatchSize = dmlBatchSize;
        this.observer = observer;
        this.changelog = new Changelog(settings.changelogTable());
    }

    /**
     * Starts the replay, the stream and the heartbeat; returns once a marker proved that the stream delivers.
     *
     * @param resumeFrom where a resumed run's stream starts (its checkpoint's position); null for a new run, whose
     *                   stream starts at the server's position now
     */
    void start(Prepared prepared, ScheduledExecutorService timers, BinlogPosition resumeFrom) throws Exception {
        List<ColumnSchema> keyColumns = prepared.key().columns().stream()
                .map(name -> prepared.original().schema().column(name).orElseThrow()).toList();
        List<String> keyTargets = keyColumns.stream()
                .map(c -> prepared.targetColumns().get(prepared.sourceColumns().indexOf(c))).toList();
        ReplayPlan plan = new ReplayPlan(settings.table(), settings.ghostTable(), changelog.table(),
                prepared.sourceColumns(), prepared.targetColumns(), keyColumns, keyTargets, prepared.key().name(),
                !prepared.keyExactInGhost(), prepared.ghost().schema().columns(), evictionChecks(prepared),
                settings.checkpoints().reverting() && hasUnwrittenColumns(prepared));
        replayer = new Replayer(plan, prepared.changelog().schema().columns(), connections, dmlBatchSize,
                settings.replay().threads(), settings.replay().queueBytes(), observer, new Replayer.StatementCheck() {
                    @Override
                    public void check(java.sql.Statement statement) throws SQLException {
                        if (prepared.warningGuard().isPresent()) { // without the guard, not even read: no round trip
                            stopOnLoss(prepared.warningGuard().get().dataLosing(statement,
                                    "a smaller --dml-batch-size"));
                        }
                    }

                    @Override
                    public void check(java.sql.SQLWarning warning) {
                        prepared.warningGuard().ifPresent(guard -> stopOnLoss(guard.dataLosing(warning)));
                    }

                    private void stopOnLoss(List<String> losing) {
                        if (!losing.isEmpty()) {
                            throw Failures.dataLoss(settings.table(), "replaying the binlog", losing);
                        }
                    }
                });
        synchronized (this) {
            expectedBeforeStart.forEach(replayer::expectStatement);
            if (historyUntil != null) {
                replayer.passHistoryUntil(historyUntil);
            }
        }
        replayer.start();

        EventSource eventSource = settings.eventSource() != null ? settings.eventSource()
                : EventSources.fromServiceLoader();
        BinlogPosition startAt = null; // the source reads the current file and offset
        if (resumeFrom != null) {
            // By GTID when the checkpoint has them (the source prefers them): it works from any replica that has them.
            startAt = resumeFrom;
        } else if (settings.binlogPositioning() == BinlogPositioning.GTID) {
            try (Connection connection = reading.open()) {
                startAt = GtidPositioning.currentPosition(connection);
            }
        }
        EventSourceContext context = new EventSourceContext(settings.server().host(), settings.server().port(),
                settings.user(), settings.password(),
                List.of(prepared.original().schema(), prepared.changelog().schema()), startAt,
                settings.topology().binlogServerId() > 0 ? settings.topology().binlogServerId()
                        : ThreadLocalRandom.current().nextLong(100_000_000L, 4_000_000_000L), Duration.ofSeconds(30),
                settings.ghostTable(), // its rows are ours, but a statement on it by anyone else is fatal
                settings.tls());
        source = eventSource; // kept before it starts, so that stop() closes it whatever fails from here on
        BinlogPosition position = eventSource.start(context, replayer);
        log.info("streaming the binlog from {}", position);

        // Its own connection, reopened with backoff when a write fails; the migration fails if it cannot be.
        heartbeatWriter = new Heartbeat(settings.table(), changelog,
                () -> connections.open(ServerConnections.Role.HEARTBEAT), Backoff.forReconnects(), observer::failed);
        heartbeat = timers.scheduleAtFixedRate(heartbeatWriter, 0, settings.heartbeatInterval().toMillis(),
                TimeUnit.MILLISECONDS);

        if (historyUntil != null) {
            endHistory(historyUntil); // before the proof below: the history ends ahead of it in the binlog
        }
        // Prove that the stream delivers before copying a single row: a state row must come back through it. A
        // resumed stream first replays everything since its checkpoint, which may take a while.
        awaitMarker("GhostTableMigrated", resumeFrom == null ? STREAM_PROOF_TIMEOUT : RESUMED_STREAM_PROOF_TIMEOUT,
                false);
    }

    /**
     * The unique keys on which the replay's REPLACE must never delete another row, looked for before each REPLACE:
     * when the data-loss guard is on and no checksum will judge the result before the cut-over. With the checksum on,
     * a row deleted that way is found missing by it and named as the duplicate a re-copy meets, while a conflict that
     * later events undo (a value moving between rows while the copy ran ahead of the replay) does not stop the
     * migration.
     */
    private List<ReplayPlan.UniqueCheck> evictionChecks(Prepared prepared) {
        if (prepared.warningGuard().isEmpty() || ChecksumPhase.wantedQuietly(settings, prepared)) {
            return List.of();
        }
        List<ReplayPlan.UniqueCheck> checks = new java.util.ArrayList<>();
        for (dev.ghost.internal.table.UniqueKey key : prepared.newUniqueKeys()) {
            List<ColumnSchema> sources = new java.util.ArrayList<>();
            for (String target : key.columns()) {
                int at = indexOfIgnoreCase(prepared.targetColumns(), target);
                if (at < 0) {
                    sources = null; // a column the copy does not fill (new, generated): no row image holds it
                    break;
                }
                sources.add(prepared.sourceColumns().get(at));
            }
            if (sources != null) {
                checks.add(new ReplayPlan.UniqueCheck(key.name(), sources,
                        sources.stream().map(c -> prepared.targetColumns().get(prepared.sourceColumns().indexOf(c)))
                                .toList()));
            }
        }
        return checks;
    }

    /** Whether the ghost has stored columns that the replay does not write (in a revert: the ones migrated away). */
    private static boolean hasUnwrittenColumns(Prepared prepared) {
        return prepared.ghost().schema().columns().stream()
                .anyMatch(c -> !c.generated() && indexOfIgnoreCase(prepared.targetColumns(), c.name()) < 0);
    }

    private static int indexOfIgnoreCase(List<String> names, String name) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Writes a marker to the changelog and waits until the replay has seen it: every event before it is applied. */
    void awaitMarker(String state, Duration timeout) throws Exception {
        awaitMarker(state, timeout, false);
    }

    /**
     * Before a cut-over locks the original: from here on the replay keeps the rows' images and applies them without
     * reading the original, which the cut-over's lock blocks; returns once every key queued without an image is
     * applied. Idempotent.
     */
    void prepareForCutover(Duration timeout) throws Exception {
        if (!imagesKept) {
            replayer.keepRowImages();
            awaitMarker("RowImagesKept", timeout);
            imagesKept = true;
        }
    }

    /**
     * The marker of a cut-over attempt, written under its lock: every event before it is applied, and the renames
     * that follow it in the binlog are the cut-over's own, which the replay lets pass (until
     * {@link #endCutoverAttempt()}).
     */
    void awaitCutoverMarker(Duration timeout) throws Exception {
        lastCutoverMarker = awaitMarker("cutover", timeout, true);
    }

    /**
     * The position of the last cut-over attempt's marker: once that attempt swapped the tables, every write to the
     * new table lies after it in the binlog (the original was locked from the marker until the swap), which is where
     * a revert replays from.
     */
    BinlogPosition lastCutoverMarker() {
        return lastCutoverMarker;
    }

    /**
     * A revert's stream starts at its migration's cut-over and first meets what happened then: the cut-over's renames,
     * the drop of that run's changelog, the creation of this one's. Until a marker written once this stream runs, such
     * statements (renames, and statements on the changelog or checkpoint tables only) pass without a word.
     */
    synchronized void passHistoryUntilMarker(String token) {
        historyUntil = token;
    }

    /** Writes the marker that ends the history a revert's stream lets pass. */
    void endHistory(String token) throws SQLException {
        try (Connection connection = connections.open()) {
            changelog.writeState(connection, Changelog.MARKER_PREFIX + token);
        }
    }

    /**
     * After a failed cut-over attempt: a marker that follows every statement the attempt ran ends the window in which
     * renames pass, so that a rename by anyone else before the next attempt stops the migration.
     */
    void endCutoverAttempt() throws SQLException {
        String token = "cutover-ended-" + UUID.randomUUID();
        replayer.renamesPassFrom(token, false);
        try (Connection connection = connections.open()) {
            changelog.writeState(connection, Changelog.MARKER_PREFIX + token);
        }
    }

    /**
     * Writes a marker and returns its position once the replay has applied every event before it: a consistent point
     * for a checkpoint (a stream started again there replays nothing less than what the ghost table lacks).
     */
    BinlogPosition appliedThroughMarker(String state, Duration timeout) throws Exception {
        return awaitMarker(state, timeout, false);
    }

    private BinlogPosition awaitMarker(String state, Duration timeout, boolean opensRenames) throws Exception {
        String token = state + "-" + UUID.randomUUID();
        CompletableFuture<BinlogPosition> marker = replayer.expectMarker(token);
        if (opensRenames) {
            replayer.renamesPassFrom(token, true);
        }
        try (Connection connection = connections.open()) {
            changelog.writeState(connection, Changelog.MARKER_PREFIX + token);
        }
        try {
            return marker.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            replayer.forgetMarker(token);
        }
    }

    /**
     * Lets ghost's own statement on the ghost table pass when it reaches the binlog (it would stop the migration).
     * Before the stream starts, it is kept for the replay to come.
     */
    synchronized void expectStatement(String sql) {
        if (replayer == null) {
            expectedBeforeStart.add(sql);
        } else {
            replayer.expectStatement(sql);
        }
    }

    /**
     * Holds ({@code true}) or resumes every write of the replay to the ghost table: held while the ghost carries the
     * original's triggers before the swap (see {@link GhostTriggers}).
     */
    void holdReplay(boolean hold) {
        replayer.holdApply(hold);
    }

    /** Changed keys read from the binlog and not yet replayed. */
    long backlog() {
        return replayer.backlog();
    }

    /** Keys one round of the replay takes at most. */
    int replayRoundKeys() {
        return replayer.roundKeys();
    }

    /** Waits until the replay's backlog is down to {@code keys}; false when the timeout came first. */
    boolean awaitBacklogAtMost(long keys, Duration timeout) throws InterruptedException {
        return replayer.awaitBacklogAtMost(keys, timeout);
    }

    /** Stops the heartbeat, the stream and the replay; the heartbeat's connection waits for the timers to end. */
    void stop() {
        ScheduledFuture<?> beating = heartbeat;
        if (beating != null) {
            beating.cancel(false); // before the changelog is dropped
        }
        if (source != null) {
            try {
                source.close();
            } catch (RuntimeException e) {
                log.debug("closing the event source failed: {}", e.getMessage());
            }
            source = null;
        }
        Replayer current = replayer;
        if (current != null) {
            current.close();
        }
    }

    /** Closes the heartbeat's connection once {@code timers}, shut down by the caller, have ended. */
    void closeHeartbeatConnection(ScheduledExecutorService timers) {
        if (heartbeatWriter == null) {
            return;
        }
        try {
            timers.awaitTermination(5, TimeUnit.SECONDS); // a heartbeat may be mid-write
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        heartbeatWriter.close();
    }
}
