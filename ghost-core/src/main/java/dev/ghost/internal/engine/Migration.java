package dev.ghost.internal.engine;

import dev.ghost.BinlogStreamException;
import dev.ghost.GhostException;
import dev.ghost.MigrationFailedException;
import dev.ghost.MigrationState;
import dev.ghost.MigrationStatus;
import dev.ghost.RunningMigration;
import dev.ghost.SchemaChangeResult;
import dev.ghost.event.InteractiveCommand;
import dev.ghost.event.StateChange;
import dev.ghost.internal.alter.AlterAnalysis;
import dev.ghost.internal.check.MigrationLock;
import dev.ghost.internal.checkpoint.CheckpointTable;
import dev.ghost.internal.check.Replication;
import dev.ghost.internal.control.CommandServer;
import dev.ghost.internal.control.ControlledMigration;
import dev.ghost.internal.control.CutoverPostponement;
import dev.ghost.internal.copy.ChunkSizer;
import dev.ghost.internal.sql.ServerConnections;
import dev.ghost.internal.throttle.FlagFilePolicy;
import dev.ghost.internal.throttle.ReplicaLagPolicy;
import dev.ghost.internal.throttle.StatusThresholds;
import dev.ghost.internal.throttle.Throttler;
import dev.ghost.spi.TableName;
import dev.ghost.spi.ThrottlePolicy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One running migration: gh-ost's phases in order (inspect, prepare, copy with replay, catch up, postpone,
 * cut over, clean up), on a thread of its own. Each phase is a class of its own ({@link Inspector},
 * {@link GhostTablePreparer}, {@link ChangeStream}, {@link RowCopyPhase}, {@link CutoverLoop}); this one runs them in
 * order, releases what they leave open before telling the caller, and is the handle operators hold. Components get
 * immutable inputs and report through narrow callbacks; the state shared with operators is {@link LiveSettings},
 * the {@link ThrottlePolicies}, the cut-over postponement and the {@link ProgressTracker}.
 */
public final class Migration implements ControlledMigration {

    private static final Logger log = LoggerFactory.getLogger(Migration.class);

    private final MigrationSettings settings;
    private final LiveSettings live;
    private final CutoverPostponement postponement;
    /** The server ghost writes on: the one given, or the master of the replica given (found at run time). */
    private final ServerConnections connections;
    /** The server whose binlog ghost reads: the one given. */
    private final ServerConnections readConnections;
    private final ProgressTracker progress;
    private final Listeners listeners;
    private final StopSignal stop = new StopSignal();
    private final CreatedTables createdTables;
    private final ChangeStream stream;
    private final CompletableFuture<SchemaChangeResult> outcome = new CompletableFuture<>();
    private final Instant startedAt = Instant.now();
    private final Thread thread;
    private final ThrottlePolicies policies;
    private final ReplicaSide replicaSide;
    private volatile Throttler throttler;
    /** gh-ost's --throttle-control-replicas, when replicas are named. */
    private ReplicaLagPolicy replicaLag;
    private static final Duration DEFAULT_REPLICA_LAG_LIMIT = Duration.ofMillis(1500);
    /** Set once the tables are swapped: from then on nothing another thread reports can change the outcome. */
    private volatile boolean swapped;
    /**
     * Set while the ALTER with ALGORITHM=INSTANT runs: a failure elsewhere must not close its connection, which would
     * leave unknown whether the server applied it; the attempt ends within its lock wait, and the stop is seen then.
     */
    private volatile boolean alteringInstantly;
    private MigrationLock migrationLock;
    /** Set when a failure closed the connections in use, once: the clean-up's own are not to be closed. */
    private final java.util.concurrent.atomic.AtomicBoolean connectionsAborted =
            new java.util.concurrent.atomic.AtomicBoolean();
    /** This run's checkpoints, when it writes them. */
    private volatile CheckpointWriter checkpoints;
    /** How often the migration lock is proven held (and its connection kept from idling out). */
    private static final Duration LOCK_CHECK_INTERVAL = Duration.ofSeconds(1);

    private Migration(MigrationSettings settings) {
        this.settings = settings;
        this.live = new LiveSettings(settings.chunkSize() > 0 ? ChunkSizer.fixed(settings.chunkSize())
                : ChunkSizer.adaptive(settings.chunkTime()), settings.dmlBatchSize());
        this.postponement = new CutoverPostponement(settings.postponeCutoverFlagFile());
        this.connections = new ServerConnections(settings.server(), settings.user(), settings.password(),
                settings.table().schema(), settings.timeouts(), settings.tls(), !settings.skipStrictMode());
        this.progress = new ProgressTracker(settings.table().toString(), this::failAsync,
                this::throttleReason, live::chunkSize);
        this.listeners = new Listeners(settings.table(), settings.listeners());
        this.createdTables = new CreatedTables(connections);
        this.readConnections = new ServerConnections(settings.server(), settings.user(), settings.password(),
                settings.table().schema(), settings.timeouts(), settings.tls(), !settings.skipStrictMode());
        this.stream = new ChangeStream(settings, connections, readConnections, live::dmlBatchSize, progress);
        this.policies = new ThrottlePolicies(settings.throttlePolicies());
        this.replicaSide = new ReplicaSide(settings, connections);
        this.thread = new Thread(this::runToEnd, "ghost-migration-" + settings.table().name());
    }

    /** The throttler's reasons; before it exists (the copy is about to start), the commanded throttle alone. */
    private Optional<String> throttleReason() {
        Throttler current = throttler;
        if (current != null) {
            return current.reason();
        }
        return live.manualThrottle() ? Optional.of(Throttler.COMMANDED) : Optional.empty();
    }

    public static RunningMigration start(MigrationSettings settings) {
        Migration migration = new Migration(settings);
        migration.thread.start();
        return migration;
    }

    // ---- RunningMigration ----

    @Override
    public MigrationStatus status() {
        return progress.snapshot();
    }

    @Override
    public SchemaChangeResult await() {
        try {
            return outcome.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GhostException("interrupted while waiting for the migration of " + settings.table(), e);
        } catch (ExecutionException e) {
            throw Failures.rethrown(e);
        }
    }

    @Override
    public SchemaChangeResult await(Duration timeout) throws TimeoutException {
        try {
            return outcome.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GhostException("interrupted while waiting for the migration of " + settings.table(), e);
        } catch (ExecutionException e) {
            throw Failures.rethrown(e);
        }
    }

    @Override
    public void cancel() {
        stop.cancel();
        thread.interrupt();
    }

    @Override
    public void panic() {
        stop.panic();
        thread.interrupt();
    }

    @Override
    public void dmlBatchSize(int rows) {
        if (rows < 1 || rows > 10_000) {
            throw new IllegalArgumentException("dml batch size " + rows + " is not in 1..10000");
        }
        live.dmlBatchSize(rows);
    }

    @Override
    public int dmlBatchSize() {
        return live.dmlBatchSize();
    }

    @Override
    public void maxLoad(String thresholds) {
        policies.maxLoad().thresholds(StatusThresholds.parse(thresholds));
    }

    @Override
    public String maxLoad() {
        return policies.maxLoad().thresholds().toString();
    }

    @Override
    public void criticalLoad(String thresholds) {
        policies.criticalLoad().thresholds(StatusThresholds.parse(thresholds));
    }

    @Override
    public String criticalLoad() {
        return policies.criticalLoad().thresholds().toString();
    }

    @Override
    public void maxLag(Duration limit) {
        if (limit == null || limit.isNegative()) {
            throw new IllegalArgumentException("max lag " + limit + " is not a duration >= 0");
        }
        policies.maxLag().limit(limit.isZero() ? null : limit);
    }

    @Override
    public Duration maxLag() {
        Duration limit = policies.maxLag().limit();
        return limit == null ? Duration.ZERO : limit;
    }

    @Override
    public void niceRatio(double ratio) {
        policies.niceRatio().ratio(ratio);
    }

    @Override
    public double niceRatio() {
        return policies.niceRatio().ratio();
    }

    @Override
    public String throttleQuery() {
        return policies.throttleQuery().query();
    }

    @Override
    public void throttleQuery(String query) {
        policies.throttleQuery().query(query == null || query.isBlank() ? null : query);
    }

    @Override
    public Optional<URI> throttleHttp() {
        return policies.throttleHttp().url();
    }

    @Override
    public void throttleHttp(URI url) {
        policies.throttleHttp().url(url);
    }

    @Override
    public Optional<String> commandRefusal(InteractiveCommand command) {
        return listeners.commandRefusal(command);
    }

    @Override
    public Optional<Path> postponeCutoverFlagFile() {
        return Optional.ofNullable(postponement.flagFile());
    }

    @Override
    public void postponeCutoverFlagFile(Path file) {
        postponement.flagFile(file);
    }

    @Override
    public void throttle() {
        live.manualThrottle(true);
        if (throttler != null) {
            throttler.throttleManually(true);
        }
    }

    @Override
    public void unthrottle() {
        live.manualThrottle(false);
        if (throttler != null) {
            throttler.throttleManually(false);
        }
    }

    @Override
    public void chunkSize(int rows) {
        if (rows < 10 || rows > 100_000) {
            throw new IllegalArgumentException("chunk size " + rows + " is not in 10..100000");
        }
        live.chunkSize(rows);
    }

    @Override
    public void postponeCutover() {
        postponement.postpone();
    }

    @Override
    public void unpostponeCutover() {
        postponement.unpostpone();
    }

    // ---- the migration thread ----

    private void failAsync(Throwable cause) {
        if (swapped) {
            // Typically the stream meeting the new table's rows under the original name before it is stopped.
            log.debug("after the cut-over of {}, ignoring: {}", settings.table(), cause.toString());
            return;
        }
        stop.fail(cause);
        thread.interrupt();
        // A thread blocked in a socket read (a silent network) cannot be interrupted: close the sockets under it.
        // Not during a cut-over, whose own connections decide how it ends (its sentry keeps a half-done swap out).
        if (progress.state() != MigrationState.CUTTING_OVER && !alteringInstantly
                && connectionsAborted.compareAndSet(false, true)) {
            connections.abortOpen();
            readConnections.abortOpen();
        }
    }

    private void runToEnd() {
        PhaseTimes phases = new PhaseTimes(System.nanoTime());
        List<CommandServer> commandServers = new ArrayList<>();
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(3, runnable -> {
            Thread timer = new Thread(runnable, "ghost-timer-" + settings.table().name());
            timer.setDaemon(true);
            return timer;
        });
        // The caller is told only after every connection, lock and socket is released (the finally below), so that
        // when run() returns nothing of the migration is left on the server.
        SchemaChangeResult result = null;
        GhostException failed = null;
        try {
            startCommandServers(commandServers);
            timers.scheduleAtFixedRate(this::reportProgress, settings.progressInterval().toMillis(),
                    settings.progressInterval().toMillis(), TimeUnit.MILLISECONDS);

            transition(MigrationState.INSPECTING, "");
            Inspector inspector = new Inspector(settings, connections, readConnections);
            // A revert's ALTER is its migration's, read backwards from the checkpoint once the server is known.
            AlterAnalysis alter = settings.checkpoints().reverting() ? null : inspector.analyseAlter();
            inspector.findMaster(); // reading a replica: every write goes to its master from here on
            migrationLock = inspector.lock(); // released in the finally, even when the inspection fails
            MigrationLock lock = migrationLock; // lost with its connection? Taken again, or the migration stops
            timers.scheduleWithFixedDelay(() -> checkLock(lock), LOCK_CHECK_INTERVAL.toMillis(),
                    LOCK_CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            Reversion reversion = settings.checkpoints().reverting()
                    ? Reversion.load(settings, connections, readConnections) : null;
            if (reversion != null) {
                alter = reversion.reverseAlter();
                log.info("Reverting from cut-over checkpoint coords={} (checkpoint {} of {}, written at {}): {} is "
                                + "brought up to date and swapped back; {} becomes {}",
                        reversion.cutover().position(), reversion.cutover().id(), settings.checkpointTable(),
                        reversion.cutover().writtenAt(), settings.ghostTable(), settings.table(),
                        settings.oldTable());
            }
            Inspection inspection = inspector.inspect(alter);
            progress.rowEstimate(reversion != null ? 0 : inspection.rowEstimate());
            if (reversion != null && settings.dryRun()) {
                log.info("dry run: the migration of {} can be reverted from its cut-over checkpoint; nothing was "
                        + "changed. Run with --execute to revert it", settings.table());
                phases.inspected();
                transition(MigrationState.COMPLETED, "dry run: nothing changed");
                result = resultOf(phases, Optional.empty(), true, Duration.ZERO, 0, ChecksumPhase.Totals.NONE,
                        false);
                return;
            }
            if (settings.attemptInstantDdl() && !settings.dryRun() && attemptedInstantly(inspection)) {
                phases.inspected();
                transition(MigrationState.COMPLETED, "migrated instantly (ALGORITHM=INSTANT)");
                result = resultOf(phases, Optional.empty(), false, Duration.ZERO, 0, ChecksumPhase.Totals.NONE, true);
                return;
            }
            Resumption resumption = settings.checkpoints().resume()
                    ? Resumption.load(settings, connections, readConnections) : null;
            if (resumption != null) {
                log.info("Resuming from checkpoint coords={} copied-through={} (checkpoint {} of {}, written at {})",
                        resumption.checkpoint().position(), resumption.checkpoint().copiedThrough()
                                .map(CheckpointWriter::display).orElse("(nothing)"), resumption.checkpoint().id(),
                        settings.checkpointTable(), resumption.checkpoint().writtenAt());
            }
            transition(MigrationState.PREPARING, "");
            GhostTablePreparer preparer = new GhostTablePreparer(settings, connections, createdTables);
            Prepared prepared;
            if (resumption != null) {
                prepared = preparer.resume(inspection, resumption.deferred());
            } else if (reversion != null) {
                createChangelog();
                prepared = preparer.resume(inspection, DeferredIndexes.NONE);
            } else {
                prepared = preparer.prepare(inspection);
            }
            boolean instantlyPossible = settings.dryRun()
                    && preparer.instantProbe().map(InstantDdl.Outcome::applied).orElse(false);
            if (settings.dryRun()) {
                preparer.instantProbe().ifPresent(probe -> log.info("dry run: with --execute, {}", probe.applied()
                        ? "ALGORITHM=INSTANT would most likely apply: " + settings.table() + " would be migrated "
                        + "instantly, without a ghost table (the ghost table accepted it; the table's own row format "
                        + "may still refuse it, and then the migration below runs)"
                        : "ALGORITHM=INSTANT would not apply (" + probe.reason() + "): the migration below runs"));
                log.info("dry run: {} would be migrated over unique key {} ({}); {} of {} columns copied{}; about {} "
                                + "rows; data-loss guard {}. Nothing was changed: the ghost table proved the ALTER and "
                                + "was dropped", settings.table(),
                        prepared.key().name(),
                        String.join(", ", prepared.key().columns()), prepared.sourceColumns().size(),
                        prepared.original().schema().columns().size(),
                        inspection.alter().renamedColumns().isEmpty() ? ""
                                : " (renamed: " + inspection.alter().renamedColumns() + ")",
                        inspection.rowEstimate(), prepared.warningGuard().isPresent() ? "on" : "off");
                createdTables.dropAll();
                phases.inspected();
                transition(MigrationState.COMPLETED, "dry run: nothing changed");
                result = resultOf(phases, Optional.empty(), true, Duration.ZERO, 0, ChecksumPhase.Totals.NONE,
                        instantlyPossible);
                return;
            }

            if (settings.replicaMode() == Replication.Mode.VIA_REPLICA) {
                // The ghost and changelog tables must reach the replica before its binlog is read from "now".
                try (Connection master = connections.open(); Connection replica = readConnections.open()) {
                    Replication.awaitReplicaCaughtUp(master, replica, Duration.ofMinutes(10), settings.table());
                }
            }
            checkpoints = settings.checkpoints().written() ? checkpointWriter(prepared, resumption) : null;
            if (reversion != null) {
                // The stream starts at the cut-over and first meets its renames and both changelogs' DDL.
                stream.passHistoryUntilMarker("revert-started-" + java.util.UUID.randomUUID());
                stream.start(prepared, timers, reversion.cutover().position());
            } else {
                startStream(prepared, timers, resumption);
            }
            phases.inspected();

            transition(MigrationState.COPYING, "");
            List<ThrottlePolicy> checks = new ArrayList<>(policies.all());
            if (!settings.controlReplicas().isEmpty()) {
                // gh-ost's default limit when only the replicas are named: their lag must be bounded by something.
                replicaLag = new ReplicaLagPolicy(settings.controlReplicas(), settings.user(), settings.password(),
                        settings.tls(), settings.changelogTable(), () -> policies.maxLag().limit() != null
                        ? policies.maxLag().limit() : DEFAULT_REPLICA_LAG_LIMIT);
                checks.add(replicaLag);
            }
            throttler = new Throttler(checks, () -> connections.open(ServerConnections.Role.THROTTLE), progress::lag,
                    this::failAsync);
            throttler.throttleManually(live.manualThrottle());
            throttler.start();
            CheckpointWriter checkpointing = checkpoints;
            if (checkpointing != null) {
                checkpointing.start();
            }
            if (reversion == null) { // a revert copies nothing: the old table holds every row up to its cut-over
                new RowCopyPhase(settings, connections, live.chunkSizer(), progress, stream, stop,
                        resumption == null ? Optional.empty() : resumption.checkpoint().copiedThrough(),
                        checkpointing == null ? key -> { } : checkpointing::copiedThrough).run(prepared, throttler);
            }
            if (!prepared.deferredIndexes().isEmpty()) {
                stream.expectStatement(prepared.deferredIndexes().addStatement());
                try (Connection connection = connections.open()) {
                    prepared.deferredIndexes().add(connection);
                }
            }
            phases.copied();

            transition(MigrationState.CATCHING_UP, "");
            stream.awaitBacklogAtMost(CutoverLoop.READY_BACKLOG, Duration.ofDays(365));
            boolean verify = ChecksumPhase.wanted(settings, prepared);
            ChecksumPhase.Totals checked = ChecksumPhase.Totals.NONE;
            ChecksumPhase checksum = new ChecksumPhase(settings, connections, stream, stop);
            if (verify) {
                throttler.awaitNotThrottled(); // the checksum reads both tables whole: it waits like the copy
                checked = checked.plus(checksum.run(prepared));
            }
            if (postponement.postponed()) {
                transition(MigrationState.POSTPONED, "");
                postponement.awaitReleased();
                if (verify) {
                    // Hours may have passed: prove it again, right before the swap.
                    transition(MigrationState.CATCHING_UP, "checksum after the postponement");
                    throttler.awaitNotThrottled();
                    checked = checked.plus(checksum.run(prepared));
                }
            }
            // As in gh-ost, the throttle (critical-load included) stays on after the copy: no cut-over while throttled.
            Optional<String> held = throttler.reason();
            if (held.isPresent() && progress.state() == MigrationState.POSTPONED) {
                transition(MigrationState.CATCHING_UP, "throttled, " + held.get());
            }
            throttler.awaitNotThrottled();
            stop.checkNotStopped();
            if (settings.cutover().analyzeGhostTable()) {
                new GhostTableAnalysis(settings, connections, stream).run(); // fails the migration when it fails
                stop.checkNotStopped();
            }

            if (checkpointing != null) {
                checkpointing.close(); // a checkpoint's marker has no place among the cut-over's
            }
            migrationLock.check(); // no cut-over unless the lock is ours right now
            transition(MigrationState.CUTTING_OVER, "");
            replicaSide.beforeCutover();
            CutoverLoop.Attempted cutover = new CutoverLoop(settings, connections, stream, listeners, stop, throttler)
                    .run();
            swapped = true;
            throttler.close(); // nothing left to hold or to stop
            if (Thread.interrupted()) {
                // A cancel, panic or critical-load that arrived as the swap committed cannot undo it: finish cleanly.
                log.info("a stop of {} arrived as its cut-over completed; the tables are swapped, so it completes",
                        settings.table());
            }
            phases.cutOver();
            if (checkpointing != null && settings.replicaMode() != Replication.Mode.TEST_ON_REPLICA) {
                writeCutoverCheckpoint(checkpointing);
            }

            transition(MigrationState.CLEANING_UP, "");
            stream.stop();
            replicaSide.afterSwap();
            Optional<String> oldTable = cleanUpAfterCutover();
            transition(MigrationState.COMPLETED, "");
            result = resultOf(phases, oldTable, false, cutover.outcome().lockHeld(), cutover.attempts(), checked,
                    false);
        } catch (Throwable failure) {
            GhostException error = Failures.classify(settings.table(), stop, failure);
            stream.stop();
            if (!swapped) {
                replicaSide.afterFailure();
            }
            // A panic leaves ghost's tables for inspection, as gh-ost's does; any other failure cleans up.
            List<String> remaining = swapped ? List.of()
                    : stop.panicked() ? createdTables.names() : createdTables.dropAll();
            GhostException reported = Failures.withRemainingTables(error, remaining);
            transition(stop.cancelled() ? MigrationState.CANCELLED : MigrationState.FAILED, reported.getMessage());
            // The caller gets the exception; logging it too would print every failure twice.
            log.debug("migration of {} {}: {}", settings.table(), stop.cancelled() ? "cancelled" : "failed",
                    reported.getMessage());
            failed = reported;
        } finally {
            try {
                releaseResources(timers, commandServers);
                reportProgress();
            } finally {
                if (failed != null) {
                    outcome.completeExceptionally(failed);
                } else if (result != null) {
                    outcome.complete(result);
                } else {
                    outcome.completeExceptionally(new MigrationFailedException("migration of " + settings.table()
                            + " ended without a result while releasing its resources", null, List.of()));
                }
            }
        }
    }

    private void checkLock(MigrationLock lock) {
        try {
            lock.check();
        } catch (GhostException e) {
            if (Thread.currentThread().isInterrupted()) {
                return; // the timers are shut down as the migration ends: a retry cut short says nothing
            }
            failAsync(e);
        } catch (RuntimeException e) {
            log.warn("checking the migration lock of {} failed: {}", settings.table(), e.toString());
        }
    }

    /** gh-ost's interactive commands on a TCP port and a unix socket, when asked for; added as they start. */
    private void startCommandServers(List<CommandServer> commandServers) throws IOException {
        if (settings.serveTcpPort() > 0) {
            commandServers.add(CommandServer.startTcp(settings.serveTcpPort(), this, this::statusHeader));
        }
        if (settings.serveSocketFile() != null) {
            commandServers.add(CommandServer.start(settings.serveSocketFile(), settings.initiallyDropSocketFile(),
                    this, this::statusHeader));
        }
        for (CommandServer server : commandServers) {
            if (settings.cutover().forceNamed()) {
                server.requireNamedCutover(settings.table().name());
            }
            if (settings.forceNamedPanic()) {
                server.requireNamedPanic(settings.table().name());
            }
        }
    }

    /** Records where the new table's writes begin, for a revert; a migration that cannot record it still succeeds. */
    private void writeCutoverCheckpoint(CheckpointWriter checkpointing) {
        dev.ghost.spi.BinlogPosition at = stream.lastCutoverMarker();
        if (at == null) {
            log.warn("the cut-over strategy of {} wrote no cut-over marker: no cut-over checkpoint, so --revert "
                    + "cannot undo this migration", settings.table());
            return;
        }
        try {
            checkpointing.writeCutover(at);
        } catch (SQLException | RuntimeException e) {
            log.warn("the cut-over checkpoint of {} could not be written ({}): --revert cannot undo this migration",
                    settings.table(), e.getMessage());
        }
    }

    /** A revert's changelog: its migration's was dropped with the cut-over. */
    private void createChangelog() throws SQLException {
        createdTables.add(settings.changelogTable());
        try (Connection connection = connections.open()) {
            new dev.ghost.internal.changelog.Changelog(settings.changelogTable()).create(connection);
        }
    }

    /**
     * Starts the binlog stream; a resumed run's from its checkpoint. Only once that stream runs are a resumed run's
     * tables its own (a failure from then on drops them, as any run's): a resume refused before leaves them as found.
     */
    private void startStream(Prepared prepared, ScheduledExecutorService timers, Resumption resumption)
            throws Exception {
        if (resumption == null) {
            stream.start(prepared, timers, null);
            return;
        }
        resumption.builtSinceCheckpoint().ifPresent(stream::expectStatement);
        try {
            stream.start(prepared, timers, resumption.checkpoint().position());
        } catch (BinlogStreamException e) {
            if (e.reason() == BinlogStreamException.Reason.BINLOG_PURGED) {
                throw Resumption.refusal(settings, "the binlog at its checkpoint's position "
                        + resumption.checkpoint().position() + " is no longer on " + settings.server() + " ("
                        + e.getMessage() + "). Start over without --resume, with --initially-drop-ghost-table");
            }
            throw e;
        }
        createdTables.add(settings.ghostTable());
        createdTables.add(settings.changelogTable());
        createdTables.add(settings.checkpointTable());
    }

    /**
     * The checkpoints of this run: a new run creates their table and records the definitions a resume must find
     * unchanged; a resumed run goes on writing into its predecessor's, under the same definitions.
     */
    private CheckpointWriter checkpointWriter(Prepared prepared, Resumption resumption) throws SQLException {
        CheckpointWriter.Definitions definitions;
        if (resumption != null) {
            var last = resumption.checkpoint();
            definitions = new CheckpointWriter.Definitions(last.alter(), last.originalCreate(), last.ghostCreate(),
                    last.ghostCopying());
        } else {
            try (Connection connection = connections.open()) {
                String copying = DeferredIndexes.showCreateTable(connection, settings.ghostTable());
                definitions = new CheckpointWriter.Definitions(settings.alter(),
                        DeferredIndexes.showCreateTable(connection, settings.table()),
                        prepared.deferredIndexes().isEmpty() ? copying
                                : prepared.deferredIndexes().completeDefinition(), copying);
                createdTables.add(settings.checkpointTable());
                new CheckpointTable(settings.checkpointTable()).create(connection);
            }
        }
        return new CheckpointWriter(settings, connections, stream, definitions,
                resumption == null ? Optional.empty() : resumption.checkpoint().copiedThrough(),
                progress::rowsCopied, progress::eventsApplied);
    }

    private void releaseResources(ScheduledExecutorService timers, List<CommandServer> commandServers) {
        if (checkpoints != null) {
            checkpoints.close();
        }
        if (throttler != null) {
            throttler.close();
        }
        if (replicaLag != null) {
            replicaLag.close(); // after the throttler's thread, its only user, has ended
        }
        timers.shutdownNow();
        stream.closeHeartbeatConnection(timers);
        if (migrationLock != null) {
            migrationLock.close();
        }
        commandServers.forEach(CommandServer::close);
    }

    private SchemaChangeResult resultOf(PhaseTimes phases, Optional<String> oldTable, boolean dryRun,
                                        Duration lockHeld, int attempts, ChecksumPhase.Totals checked,
                                        boolean instant) {
        return new SchemaChangeResult(settings.table().toString(), settings.ghostTable().toString(), oldTable, dryRun,
                progress.rowsCopied(), progress.eventsApplied(), phases.inspect(), phases.copy(), phases.cutover(),
                phases.total(), lockHeld, attempts, checked.time(), checked.rows(), instant);
    }

    /**
     * gh-ost's --attempt-instant-ddl: once the checks passed and the migration lock is held, and before anything is
     * created, the ALTER on the table itself with ALGORITHM=INSTANT. Returns whether it was applied; when not, the
     * full migration follows. Not on a replica under test, whose table must stay as it was (the dry run's prediction
     * is made on the ghost table instead), nor when --discard-foreign-keys would drop keys the table would keep.
     */
    private boolean attemptedInstantly(Inspection inspection) throws Exception {
        TableName table = settings.table();
        if (settings.replicaMode() == Replication.Mode.TEST_ON_REPLICA) {
            log.info("ALGORITHM=INSTANT is not attempted on {} with --test-on-replica: it would change the replica's "
                    + "table for good. The ghost table tells whether it would apply, and the migration is tested in "
                    + "full", table);
            return false;
        }
        if (settings.discardForeignKeys()) {
            int childKeys;
            try (Connection connection = connections.open()) {
                childKeys = dev.ghost.internal.check.ForeignKeys.childSideCount(connection, table);
            }
            if (childKeys > 0) {
                log.info("ALGORITHM=INSTANT is not attempted on {}: it would keep its {} foreign key(s), which "
                        + "--discard-foreign-keys (discardForeignKeys) drops with the full migration", table,
                        childKeys);
                return false;
            }
        }
        InstantDdl.Outcome outcome;
        alteringInstantly = true;
        try {
            outcome = new InstantDdl(settings, connections, stop).attempt(inspection.alter().clauses());
        } finally {
            alteringInstantly = false;
        }
        if (outcome.applied()) {
            if (Thread.interrupted()) {
                // A stop that arrived while the server applied the ALTER cannot undo it: the migration is done.
                log.info("a stop of {} arrived as its ALTER completed with ALGORITHM=INSTANT; the table is altered, "
                        + "so it completes", table);
            }
            // gh-ost's wording, which wrappers may look for
            log.info("Success! table {} migrated instantly", table.quoted());
            return true;
        }
        log.info("ALGORITHM=INSTANT not supported for this operation, proceeding with original algorithm: {}",
                outcome.reason());
        return false;
    }

    // ---- clean-up ----

    private Optional<String> cleanUpAfterCutover() {
        createdTables.remove(settings.ghostTable()); // it is the table now
        try (Connection connection = connections.open()) {
            execute(connection, "DROP TABLE IF EXISTS " + settings.changelogTable().quoted());
            createdTables.remove(settings.changelogTable());
            // Kept after a migration, for a revert, unless its old table goes too (or was swapped back on a replica);
            // a revert has used it up.
            boolean checkpointsUseful = settings.checkpoints().written() && !settings.okToDropTable()
                    && settings.replicaMode() != Replication.Mode.TEST_ON_REPLICA;
            if (settings.checkpoints().written() || settings.checkpoints().reverting()) {
                if (checkpointsUseful) {
                    log.info("{} is kept: with it and the binlog since the cut-over, --revert --old-table={} undoes "
                            + "this migration", settings.checkpointTable(), settings.oldTable().name());
                } else {
                    execute(connection, "DROP TABLE IF EXISTS " + settings.checkpointTable().quoted());
                }
                createdTables.remove(settings.checkpointTable());
            }
            if (settings.okToDropTable()) {
                execute(connection, "DROP TABLE IF EXISTS " + settings.oldTable().quoted());
                log.info("dropped the old table {}", settings.oldTable());
                return Optional.empty();
            }
        } catch (SQLException e) {
            log.warn("clean-up after the cut-over of {} failed: {}", settings.table(), e.getMessage());
        }
        // Tested on a replica, the tables were swapped back: the original is under its own name again.
        return Optional.of((settings.replicaMode() == Replication.Mode.TEST_ON_REPLICA ? settings.table()
                : settings.oldTable()).toString());
    }

    // ---- states, listeners, status ----

    private void transition(MigrationState next, String detail) {
        MigrationState previous = progress.state();
        if (previous == next) {
            return;
        }
        progress.state(next);
        log.debug("{}: {} -> {}", settings.table(), previous, next);
        StateChange change = new StateChange(settings.table().toString(), previous, next, Instant.now(), detail);
        listeners.notifyEach(l -> l.stateChanged(change));
    }

    private void reportProgress() {
        MigrationStatus status = progress.snapshot();
        listeners.notifyEach(l -> l.progress(status));
    }

    private List<String> statusHeader() {
        List<String> lines = new ArrayList<>();
        lines.add("# Migrating " + settings.table().quoted() + "; Ghost table is " + settings.ghostTable().quoted());
        lines.add("# Migrating " + connections.server() + "; inspecting " + settings.server() + "; executing on "
                + connections.server().host());
        lines.add("# Migration started at " + startedAt);
        lines.add(String.format(Locale.ROOT, "# chunk-size: %d; max-lag-millis: %dms; dml-batch-size: %d; "
                        + "max-load: %s; critical-load: %s; nice-ratio: %f", live.chunkSize(), maxLag().toMillis(),
                live.dmlBatchSize(), maxLoad(), criticalLoad(), niceRatio()));
        if (live.chunkSizer().adaptive()) {
            lines.add("# chunk-time: " + GoDuration.format(settings.chunkTime()) + " (the chunk size adapts to it; "
                    + "chunk-size=<rows> fixes it)");
        }
        for (ThrottlePolicy policy : policies.all()) {
            if (policy instanceof FlagFilePolicy flag) {
                lines.add("# throttle-flag-file: " + flag.file() + (Files.exists(flag.file()) ? " [set]" : ""));
            }
        }
        if (!throttleQuery().isEmpty()) {
            lines.add("# throttle-query: " + throttleQuery());
        }
        throttleHttp().ifPresent(url -> lines.add("# throttle-http: " + url));
        postponeCutoverFlagFile().ifPresent(file ->
                lines.add("# postpone-cut-over-flag-file: " + file + (Files.exists(file) ? " [set]" : "")));
        if (settings.serveSocketFile() != null) {
            lines.add("# Serving on unix socket: " + settings.serveSocketFile());
        }
        if (settings.serveTcpPort() > 0) {
            lines.add("# Serving on TCP port: " + settings.serveTcpPort());
        }
        return lines;
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
