package dev.ghost.internal.engine;

import dev.ghost.CriticalLoadException;
import dev.ghost.CutoverFailedException;
import dev.ghost.DataLossException;
import dev.ghost.GhostException;
import dev.ghost.MigrationCancelledException;
import dev.ghost.MigrationFailedException;
import dev.ghost.MigrationState;
import dev.ghost.MigrationStatus;
import dev.ghost.PreflightCheckException;
import dev.ghost.RunningMigration;
import dev.ghost.SchemaChangeResult;
import dev.ghost.event.CutoverCompleted;
import dev.ghost.event.MigrationListener;
import dev.ghost.event.StateChange;
import dev.ghost.internal.alter.AlterAnalysis;
import dev.ghost.internal.apply.ReplayPlan;
import dev.ghost.internal.apply.Replayer;
import dev.ghost.internal.changelog.Changelog;
import dev.ghost.internal.check.MigrationLock;
import dev.ghost.internal.check.Preflight;
import dev.ghost.internal.control.CommandServer;
import dev.ghost.internal.control.ControlledMigration;
import dev.ghost.internal.control.CutoverPostponement;
import dev.ghost.internal.copy.ChunkedRowCopier;
import dev.ghost.internal.copy.WarningGuard;
import dev.ghost.internal.cutover.CutoverSupport;
import dev.ghost.internal.sql.ServerConnections;
import dev.ghost.internal.table.InspectedTable;
import dev.ghost.internal.table.SharedKeys;
import dev.ghost.internal.table.TableInspector;
import dev.ghost.internal.table.UniqueKey;
import dev.ghost.internal.throttle.CriticalLoadPolicy;
import dev.ghost.internal.throttle.FlagFilePolicy;
import dev.ghost.internal.throttle.MaxLagPolicy;
import dev.ghost.internal.throttle.MaxLoadPolicy;
import dev.ghost.internal.throttle.NiceRatioPolicy;
import dev.ghost.internal.throttle.StatusThresholds;
import dev.ghost.internal.throttle.ThrottleQueryPolicy;
import dev.ghost.internal.throttle.Throttler;
import dev.ghost.spi.BinlogPosition;
import dev.ghost.spi.ColumnSchema;
import dev.ghost.spi.CopyContext;
import dev.ghost.spi.CopyPlan;
import dev.ghost.spi.CutoverContext;
import dev.ghost.spi.CutoverOutcome;
import dev.ghost.spi.CutoverStrategy;
import dev.ghost.spi.EventSource;
import dev.ghost.spi.EventSourceContext;
import dev.ghost.spi.RowCopyStrategy;
import dev.ghost.spi.TableName;
import dev.ghost.spi.ThrottlePolicy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One running migration: gh-ost's phases in order (inspect, prepare, copy with replay, catch up, postpone,
 * cut over, clean up), on a thread of its own. Components get immutable inputs and report through narrow callbacks;
 * the only state shared with operators is {@link LiveSettings} and the {@link ProgressTracker}.
 */
public final class Migration implements ControlledMigration {

    private static final Logger log = LoggerFactory.getLogger(Migration.class);
    /** The copy waits while more rows than this wait to be replayed: the replay has priority. */
    private static final long REPLAY_PRIORITY_BACKLOG = 1_000;
    /** The cut-over starts once the backlog is down to this, so that the lock covers only the last few events. */
    private static final long CUTOVER_READY_BACKLOG = 100;
    private static final Duration STREAM_PROOF_TIMEOUT = Duration.ofSeconds(30);

    private final MigrationSettings settings;
    private final LiveSettings live;
    private final CutoverPostponement postponement;
    private final ServerConnections connections;
    private final ProgressTracker progress;
    private final CompletableFuture<SchemaChangeResult> outcome = new CompletableFuture<>();
    private final List<TableName> createdTables = new ArrayList<>();
    private final Instant startedAt = Instant.now();
    private final Thread thread;
    private volatile Throwable asyncFailure;
    private volatile boolean cancelled;
    private volatile boolean panicked;
    private final List<ThrottlePolicy> policies = new ArrayList<>();
    private final MaxLoadPolicy maxLoad;
    private final CriticalLoadPolicy criticalLoad;
    private final MaxLagPolicy maxLag;
    private final NiceRatioPolicy niceRatio;
    private final ThrottleQueryPolicy throttleQuery;
    private volatile Throttler throttler;
    private volatile Replayer replayer;
    private Connection heartbeatConnection;
    private MigrationLock migrationLock;
    private volatile ScheduledFuture<?> heartbeat;

    private Migration(MigrationSettings settings) {
        this.settings = settings;
        this.live = new LiveSettings(settings.chunkSize(), settings.dmlBatchSize());
        this.postponement = new CutoverPostponement(settings.postponeCutoverFlagFile());
        this.connections = new ServerConnections(settings.server(), settings.user(), settings.password(),
                settings.table().schema());
        this.progress = new ProgressTracker(settings.table().toString(), this::failAsync,
                this::throttleReason, live::chunkSize);
        this.thread = new Thread(this::runToEnd, "ghost-migration-" + settings.table().name());
        // The built-in policies that operators may change at run time: the first of each kind given to the builder
        // (copied: a builder's policy may serve several migrations), or a disabled one to change later.
        MaxLoadPolicy load = null;
        CriticalLoadPolicy critical = null;
        MaxLagPolicy lagLimit = null;
        NiceRatioPolicy nice = null;
        ThrottleQueryPolicy query = null;
        for (ThrottlePolicy policy : settings.throttlePolicies()) {
            ThrottlePolicy own = policy;
            if (policy instanceof MaxLoadPolicy p && load == null) {
                own = load = p.copy();
            } else if (policy instanceof CriticalLoadPolicy p && critical == null) {
                own = critical = p.copy();
            } else if (policy instanceof MaxLagPolicy p && lagLimit == null) {
                own = lagLimit = p.copy();
            } else if (policy instanceof NiceRatioPolicy p && nice == null) {
                own = nice = p.copy();
            } else if (policy instanceof ThrottleQueryPolicy p && query == null) {
                own = query = p.copy();
            }
            policies.add(own);
        }
        this.maxLoad = load != null ? load : added(new MaxLoadPolicy(StatusThresholds.NONE));
        this.criticalLoad = critical != null ? critical
                : added(new CriticalLoadPolicy(StatusThresholds.NONE, Duration.ZERO, Duration.ZERO));
        this.maxLag = lagLimit != null ? lagLimit : added(new MaxLagPolicy(null));
        this.niceRatio = nice != null ? nice : added(new NiceRatioPolicy(0));
        this.throttleQuery = query != null ? query : added(new ThrottleQueryPolicy(null));
    }

    private <P extends ThrottlePolicy> P added(P policy) {
        policies.add(policy);
        return policy;
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
            throw rethrown(e);
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
            throw rethrown(e);
        }
    }

    private static GhostException rethrown(ExecutionException e) {
        if (e.getCause() instanceof GhostException ghost) {
            return ghost;
        }
        return new GhostException(String.valueOf(e.getCause().getMessage()), e.getCause());
    }

    @Override
    public void cancel() {
        cancelled = true;
        thread.interrupt();
    }

    @Override
    public void panic() {
        panicked = true;
        cancel();
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
        maxLoad.thresholds(StatusThresholds.parse(thresholds));
    }

    @Override
    public String maxLoad() {
        return maxLoad.thresholds().toString();
    }

    @Override
    public void criticalLoad(String thresholds) {
        criticalLoad.thresholds(StatusThresholds.parse(thresholds));
    }

    @Override
    public String criticalLoad() {
        return criticalLoad.thresholds().toString();
    }

    @Override
    public void maxLag(Duration limit) {
        if (limit == null || limit.isNegative()) {
            throw new IllegalArgumentException("max lag " + limit + " is not a duration >= 0");
        }
        maxLag.limit(limit.isZero() ? null : limit);
    }

    @Override
    public Duration maxLag() {
        Duration limit = maxLag.limit();
        return limit == null ? Duration.ZERO : limit;
    }

    @Override
    public void niceRatio(double ratio) {
        niceRatio.ratio(ratio);
    }

    @Override
    public double niceRatio() {
        return niceRatio.ratio();
    }

    @Override
    public String throttleQuery() {
        return throttleQuery.query();
    }

    @Override
    public void throttleQuery(String query) {
        throttleQuery.query(query == null || query.isBlank() ? null : query);
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
        if (asyncFailure == null) {
            asyncFailure = cause;
        }
        thread.interrupt();
    }

    private void runToEnd() {
        long started = System.nanoTime();
        Phases phases = new Phases(started);
        List<CommandServer> commandServers = new ArrayList<>();
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, runnable -> {
            Thread timer = new Thread(runnable, "ghost-timer-" + settings.table().name());
            timer.setDaemon(true);
            return timer;
        });
        EventSource eventSource = null;
        boolean cutoverDone = false;
        // The caller is told only after every connection, lock and socket is released (the finally below), so that
        // when run() returns nothing of the migration is left on the server.
        SchemaChangeResult result = null;
        GhostException failed = null;
        try {
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
            timers.scheduleAtFixedRate(this::reportProgress, settings.progressInterval().toMillis(),
                    settings.progressInterval().toMillis(), TimeUnit.MILLISECONDS);

            transition(MigrationState.INSPECTING, "");
            Inspection inspection = inspect();
            transition(MigrationState.PREPARING, "");
            Prepared prepared = prepare(inspection);
            if (settings.dryRun()) {
                log.info("dry run: {} would be migrated over unique key {} ({}); {} of {} columns copied{}; about {} "
                                + "rows; data-loss guard {}. Nothing was changed: the ghost table proved the ALTER and "
                                + "was dropped", settings.table(), prepared.key().name(),
                        String.join(", ", prepared.key().columns()), prepared.sourceColumns().size(),
                        prepared.original().schema().columns().size(),
                        inspection.alter().renamedColumns().isEmpty() ? ""
                                : " (renamed: " + inspection.alter().renamedColumns() + ")",
                        inspection.rowEstimate(), prepared.warningGuard().isPresent() ? "on" : "off");
                dropCreatedTables();
                phases.inspected();
                transition(MigrationState.COMPLETED, "dry run: nothing changed");
                result = resultOf(phases, Optional.empty(), true, Duration.ZERO, 0);
                return;
            }

            eventSource = startStreaming(prepared, timers);
            phases.inspected();

            transition(MigrationState.COPYING, "");
            copyRows(prepared);
            phases.copied();

            transition(MigrationState.CATCHING_UP, "");
            replayer.awaitBacklogAtMost(CUTOVER_READY_BACKLOG, Duration.ofDays(365));
            if (postponement.postponed()) {
                transition(MigrationState.POSTPONED, "");
                postponement.awaitReleased();
            }
            // As in gh-ost, the throttle (critical-load included) stays on after the copy: no cut-over while throttled.
            Optional<String> held = throttler.reason();
            if (held.isPresent() && progress.state() == MigrationState.POSTPONED) {
                transition(MigrationState.CATCHING_UP, "throttled, " + held.get());
            }
            throttler.awaitNotThrottled();
            checkNotStopped();
            throttler.close();

            transition(MigrationState.CUTTING_OVER, "");
            Attempted cutover = cutOver(prepared);
            cutoverDone = true;
            phases.cutOver();

            transition(MigrationState.CLEANING_UP, "");
            stopStreaming(eventSource);
            eventSource = null;
            Optional<String> oldTable = cleanUpAfterCutover();
            transition(MigrationState.COMPLETED, "");
            result = resultOf(phases, oldTable, false, cutover.outcome().lockHeld(), cutover.attempts());
        } catch (Throwable failure) {
            GhostException error = classify(failure);
            stopStreaming(eventSource);
            // A panic leaves ghost's tables for inspection, as gh-ost's does; any other failure cleans up.
            List<String> remaining = cutoverDone ? List.of() : panicked ? createdTableNames() : dropCreatedTables();
            GhostException reported = withRemainingTables(error, remaining);
            transition(cancelled ? MigrationState.CANCELLED : MigrationState.FAILED, reported.getMessage());
            // The caller gets the exception; logging it too would print every failure twice.
            log.debug("migration of {} {}: {}", settings.table(), cancelled ? "cancelled" : "failed",
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

    private void releaseResources(ScheduledExecutorService timers, List<CommandServer> commandServers) {
        if (throttler != null) {
            throttler.close();
        }
        timers.shutdownNow();
        closeHeartbeatConnection(timers);
        if (migrationLock != null) {
            migrationLock.close();
        }
        commandServers.forEach(CommandServer::close);
    }

    private void closeHeartbeatConnection(ScheduledExecutorService timers) {
        if (heartbeatConnection == null) {
            return;
        }
        try {
            timers.awaitTermination(5, TimeUnit.SECONDS); // a heartbeat may be mid-write
            heartbeatConnection.close();
        } catch (InterruptedException | SQLException e) {
            log.debug("closing the heartbeat connection: {}", e.getMessage());
        }
    }

    private SchemaChangeResult resultOf(Phases phases, Optional<String> oldTable, boolean dryRun, Duration lockHeld,
                                        int attempts) {
        return new SchemaChangeResult(settings.table().toString(), settings.ghostTable().toString(), oldTable, dryRun,
                progress.rowsCopied(), progress.eventsApplied(), phases.inspect(), phases.copy(), phases.cutover(),
                phases.total(), lockHeld, attempts);
    }

    // ---- inspect ----

    private record Inspection(InspectedTable original, AlterAnalysis alter, long rowEstimate) {
    }

    private Inspection inspect() throws SQLException {
        TableName table = settings.table();
        AlterAnalysis alter = analyseAlter(table);
        migrationLock = MigrationLock.acquire(openForInspection(), table);
        try (Connection connection = openForInspection()) {
            InspectedTable original = Preflight.run(connection, table, new Preflight.Options(settings.ghostTable(),
                    settings.oldTable(), settings.discardForeignKeys(), settings.allowNullableUniqueKey(),
                    settings.initiallyDropGhostTable(), settings.initiallyDropOldTable()));
            for (String column : alter.renamedColumns().keySet()) {
                if (original.schema().column(column).isEmpty()) {
                    throw new PreflightCheckException("alter-columns", table.toString(), "the ALTER renames column `"
                            + column + "`, but " + table.quoted() + " has no such column; check the ALTER");
                }
            }
            log.info("inspected {} on {}: {} columns, {} unique keys", table, settings.server(),
                    original.schema().columns().size(), original.uniqueKeys().size());
            long estimate = TableInspector.rowEstimate(connection, table, settings.exactRowCount());
            progress.rowEstimate(estimate);
            return new Inspection(original, alter, estimate);
        }
    }

    /** Refuses what the ALTER would get wrong, before anything is created. */
    private AlterAnalysis analyseAlter(TableName table) {
        AlterAnalysis alter;
        try {
            alter = AlterAnalysis.of(settings.alter());
        } catch (IllegalArgumentException e) {
            throw new PreflightCheckException("alter-syntax", table.toString(), "cannot read the ALTER for "
                    + table.quoted() + ": " + e.getMessage(), e);
        }
        if (alter.renamesTable()) {
            throw new PreflightCheckException("alter-renames-table", table.toString(), "cannot migrate "
                    + table.quoted() + ": alter statement seems to RENAME the table. This is not supported; migrate "
                    + "first, then rename with RENAME TABLE");
        }
        if (!alter.renamedColumns().isEmpty() && !settings.approveRenamedColumns()
                && !settings.skipRenamedColumns()) {
            StringBuilder renames = new StringBuilder();
            alter.renamedColumns().forEach((from, to) -> renames.append(renames.length() == 0 ? "" : ", ")
                    .append(from).append(" -> ").append(to));
            throw new PreflightCheckException("renamed-columns", table.toString(), "the ALTER of " + table.quoted()
                    + " seems to rename columns: " + renames + ". As a precaution, confirm with "
                    + "--approve-renamed-columns (approveRenamedColumns) to copy their values under the new names, "
                    + "or --skip-renamed-columns (skipRenamedColumns) to leave the renamed columns at their defaults");
        }
        return alter;
    }

    private Connection openForInspection() {
        try {
            return connections.open();
        } catch (SQLException e) {
            if (e.getErrorCode() == 1049) { // ER_BAD_DB_ERROR: the session's default database does not exist
                throw new PreflightCheckException("database-exists", settings.table().toString(), "database `"
                        + settings.table().schema() + "` does not exist on " + settings.server() + " (" + e.getMessage()
                        + "); check --database", e);
            }
            throw new PreflightCheckException("connection", settings.table().toString(), "cannot connect to "
                    + settings.server() + " as " + settings.user() + " to migrate " + settings.table() + ": "
                    + e.getMessage() + "; check the host, port, user and password", e);
        }
    }

    // ---- prepare ----

    private record Prepared(InspectedTable original, InspectedTable ghost, InspectedTable changelog, UniqueKey key,
                            boolean keyExactInGhost, List<ColumnSchema> sourceColumns, List<String> targetColumns,
                            Optional<WarningGuard> warningGuard) {
    }

    private Prepared prepare(Inspection inspection) throws SQLException {
        TableName table = settings.table();
        TableName ghostName = settings.ghostTable();
        Changelog changelog = new Changelog(settings.changelogTable());
        try (Connection connection = connections.open()) {
            createdTables.add(changelog.table());
            changelog.create(connection);
            createdTables.add(ghostName);
            execute(connection, "CREATE TABLE " + ghostName.quoted() + " LIKE " + table.quoted());
            String alter = inspection.alter().clauses();
            try {
                execute(connection, "ALTER TABLE " + ghostName.quoted() + " " + alter);
            } catch (SQLException e) {
                throw new PreflightCheckException("alter", table.toString(), "the ALTER failed on the ghost table "
                        + ghostName.quoted() + ": " + e.getMessage() + " (ALTER: " + alter + ")", e);
            }
            log.info("ghost table {} created and altered", ghostName);
            InspectedTable ghost = TableInspector.inspect(connection, ghostName).orElseThrow();
            InspectedTable changelogTable = TableInspector.inspect(connection, changelog.table()).orElseThrow();
            if (SharedKeys.usable(ghost, settings.allowNullableUniqueKey()).isEmpty()) {
                throw new PreflightCheckException("ghost-unique-key", table.toString(), "cannot migrate "
                        + table.quoted() + ": after the ALTER there is no PRIMARY nor UNIQUE key found in table "
                        + ghostName.quoted() + " (none without NULLable, prefix, FLOAT or JSON columns); "
                        + "keep a primary key or add a unique key on non-NULL columns");
            }
            Function<String, Optional<String>> ghostColumn = ghostColumns(inspection, ghost);
            SharedKeys.Choice choice = SharedKeys.choose(inspection.original(), ghost, ghostColumn,
                    settings.allowNullableUniqueKey()).orElseThrow(() ->
                    new PreflightCheckException("shared-unique-key", table.toString(), "cannot migrate "
                            + table.quoted() + ": no shared unique key can be found after ALTER; the original and the "
                            + "ghost table need a unique key on the same non-NULL columns"));
            List<ColumnSchema> sources = new ArrayList<>();
            List<String> targets = new ArrayList<>();
            for (ColumnSchema column : inspection.original().schema().columns()) {
                Optional<String> target = ghostColumn.apply(column.name());
                if (target.isPresent()) {
                    sources.add(column);
                    targets.add(target.get());
                }
            }
            UniqueKey key = choice.key();
            log.info("chosen shared unique key: {} ({}){}; {} shared columns", key.name(),
                    String.join(", ", key.columns()), choice.exactInGhost() ? "" : ", contained in a wider ghost key",
                    sources.size());
            return new Prepared(inspection.original(), ghost, changelogTable, key, choice.exactInGhost(), sources,
                    targets, warningGuard(inspection.original(), ghost, ghostColumn, key, sources, targets));
        }
    }

    /**
     * Where each original column's values go in the ghost table: under its new name when renamed (and approved),
     * nowhere when dropped (even if a column of that name is added again: its old values are not the new column's),
     * when skipped, or when either side is generated.
     */
    private Function<String, Optional<String>> ghostColumns(Inspection inspection, InspectedTable ghost) {
        Map<String, String> renamed = new HashMap<>();
        inspection.alter().renamedColumns().forEach((from, to) -> renamed.put(from.toLowerCase(Locale.ROOT), to));
        return name -> {
            Optional<ColumnSchema> source = inspection.original().schema().column(name);
            if (source.isEmpty() || source.get().generated()) {
                return Optional.empty();
            }
            String lower = name.toLowerCase(Locale.ROOT);
            String target;
            if (renamed.containsKey(lower)) {
                if (settings.skipRenamedColumns()) {
                    return Optional.empty();
                }
                target = renamed.get(lower);
            } else if (inspection.alter().droppedColumns().contains(lower)) {
                return Optional.empty();
            } else {
                target = name;
            }
            return ghost.schema().column(target).filter(c -> !c.generated()).map(ColumnSchema::name);
        };
    }

    /**
     * The data-loss guard, when it is on: explicitly, or by default when the ALTER adds a unique key or changes a
     * column's type (the two ways a copy with INSERT IGNORE silently drops rows or values). Duplicates are harmless
     * on ghost keys that the original already enforces on the same columns, and on the key the copy walks.
     */
    private Optional<WarningGuard> warningGuard(InspectedTable original, InspectedTable ghost,
                                                Function<String, Optional<String>> ghostColumn, UniqueKey chunkKey,
                                                List<ColumnSchema> sources, List<String> targets) {
        Set<String> harmless = new HashSet<>();
        boolean addsUniqueKey = false;
        List<String> chunkColumns = chunkKey.columns().stream().map(c -> ghostColumn.apply(c).orElseThrow()).toList();
        for (UniqueKey ghostKey : ghost.uniqueKeys()) {
            boolean enforcedBefore = original.uniqueKeys().stream().anyMatch(o -> o.columns().stream()
                    .allMatch(c -> ghostColumn.apply(c).isPresent())
                    && ghostKey.sameColumnsAs(new UniqueKey(o.name(), o.columns().stream()
                    .map(c -> ghostColumn.apply(c).orElseThrow()).toList(), o.nullable(), o.prefix())));
            boolean containsChunkKey = chunkColumns.stream()
                    .allMatch(c -> ghostKey.columns().stream().anyMatch(c::equalsIgnoreCase));
            if (enforcedBefore || containsChunkKey) {
                harmless.add(ghostKey.name());
            } else {
                addsUniqueKey = true;
            }
        }
        boolean changesType = false;
        for (int i = 0; i < sources.size(); i++) {
            ColumnSchema before = sources.get(i);
            ColumnSchema after = ghost.schema().column(targets.get(i)).orElseThrow();
            if (!before.columnType().equalsIgnoreCase(after.columnType())
                    || !Objects.equals(before.charset(), after.charset())) {
                changesType = true;
            }
        }
        boolean on = settings.panicOnWarnings() != null ? settings.panicOnWarnings() : addsUniqueKey || changesType;
        if (on) {
            log.info("data-loss guard on (panic-on-warnings){}", settings.panicOnWarnings() != null ? ""
                    : addsUniqueKey ? ": the ALTER adds a unique key" : ": the ALTER changes a column type");
        }
        return on ? Optional.of(new WarningGuard(harmless)) : Optional.empty();
    }

    // ---- stream and copy ----

    private EventSource startStreaming(Prepared prepared, ScheduledExecutorService timers) throws Exception {
        Changelog changelog = new Changelog(settings.changelogTable());
        List<ColumnSchema> keyColumns = prepared.key().columns().stream()
                .map(name -> prepared.original().schema().column(name).orElseThrow()).toList();
        List<String> keyTargets = keyColumns.stream()
                .map(c -> prepared.targetColumns().get(prepared.sourceColumns().indexOf(c))).toList();
        ReplayPlan plan = new ReplayPlan(settings.table(), settings.ghostTable(), changelog.table(),
                prepared.sourceColumns(), prepared.targetColumns(), keyColumns, keyTargets,
                !prepared.keyExactInGhost());
        replayer = new Replayer(plan, prepared.changelog().schema().columns(), connections, live::dmlBatchSize,
                progress, warnings -> prepared.warningGuard().ifPresent(guard -> {
                    List<String> losing = guard.dataLosing(warnings);
                    if (!losing.isEmpty()) {
                        throw dataLoss("replaying the binlog", losing);
                    }
                }));
        replayer.start();

        EventSource source = settings.eventSource() != null ? settings.eventSource() : EventSources.fromServiceLoader();
        EventSourceContext context = new EventSourceContext(settings.server().host(), settings.server().port(),
                settings.user(), settings.password(),
                List.of(prepared.original().schema(), prepared.changelog().schema()), null,
                ThreadLocalRandom.current().nextLong(100_000_000L, 4_000_000_000L), Duration.ofSeconds(30));
        BinlogPosition position = source.start(context, replayer);
        log.info("streaming the binlog from {}", position);

        heartbeatConnection = connections.open();
        Connection heartbeats = heartbeatConnection;
        heartbeat = timers.scheduleAtFixedRate(() -> {
            try {
                changelog.writeHeartbeat(heartbeats, System.currentTimeMillis());
            } catch (SQLException e) {
                log.warn("heartbeat failed: {}", e.getMessage());
            }
        }, 0, settings.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);

        // Prove that the stream delivers before copying a single row: a state row must come back through it.
        awaitMarker(changelog, "GhostTableMigrated", STREAM_PROOF_TIMEOUT);
        return source;
    }

    private void awaitMarker(Changelog changelog, String state, Duration timeout) throws Exception {
        String token = state + "-" + UUID.randomUUID();
        CompletableFuture<Void> marker = replayer.expectMarker(token);
        try (Connection connection = connections.open()) {
            changelog.writeState(connection, Changelog.MARKER_PREFIX + token);
        }
        try {
            marker.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            replayer.forgetMarker(token);
        }
    }

    private void copyRows(Prepared prepared) throws Exception {
        throttler = new Throttler(policies, connections.open(), progress::lag, this::failAsync);
        throttler.throttleManually(live.manualThrottle());
        throttler.start();

        CopyPlan plan = new CopyPlan(settings.table(), settings.ghostTable(), prepared.key().name(),
                prepared.key().columns(), prepared.sourceColumns().stream().map(ColumnSchema::name).toList(),
                prepared.targetColumns());
        RowCopyStrategy strategy = settings.rowCopyStrategy() != null ? settings.rowCopyStrategy()
                : new ChunkedRowCopier();
        progress.copyStarted();
        log.info("copying rows of {} with the {} strategy", settings.table(), strategy.name());
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
                return live.chunkSize();
            }

            private long chunkStarted;

            @Override
            public void awaitPermissionToCopy() throws InterruptedException {
                checkNotStopped();
                if (chunkStarted != 0) { // nice-ratio: the one deliberate sleep, after the chunk before
                    Duration pause = throttler.pauseAfterChunk(Duration.ofNanos(System.nanoTime() - chunkStarted));
                    if (!pause.isZero()) {
                        Thread.sleep(pause.toMillis(), pause.toNanosPart() % 1_000_000);
                    }
                }
                throttler.awaitNotThrottled();
                while (!replayer.awaitBacklogAtMost(REPLAY_PRIORITY_BACKLOG, Duration.ofSeconds(1))) {
                    checkNotStopped();
                }
                checkNotStopped();
                chunkStarted = System.nanoTime();
            }

            @Override
            public void checkWarnings(SQLWarning warnings) {
                prepared.warningGuard().ifPresent(guard -> {
                    List<String> losing = guard.dataLosing(warnings);
                    if (!losing.isEmpty()) {
                        throw dataLoss("copying rows", losing);
                    }
                });
            }

            @Override
            public void chunkCopied(long rowsInserted, long rowsRead) {
                progress.chunkCopied(rowsInserted);
            }
        });
        progress.copyEnded();
        log.info("Row copy complete: {} rows in {}", progress.rowsCopied(), GoDuration.format(progress.copyElapsed()));
    }

    private DataLossException dataLoss(String during, List<String> warnings) {
        return new DataLossException("migration of " + settings.table().quoted() + " stopped before the cut-over: "
                + during + " produced warnings that mean data loss: " + String.join("; ", warnings.subList(0,
                Math.min(3, warnings.size()))) + (warnings.size() > 3 ? " (and " + (warnings.size() - 3) + " more)" : "")
                + ". The original table is untouched. Fix the data or the ALTER, or run with "
                + "--panic-on-warnings=false (panicOnWarnings(false)) to accept the loss", warnings, List.of());
    }

    private void checkNotStopped() throws InterruptedException {
        if (cancelled || asyncFailure != null || Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("migration stopped");
        }
    }

    // ---- cut-over ----

    private record Attempted(CutoverOutcome outcome, int attempts) {
    }

    private Attempted cutOver(Prepared prepared) throws Exception {
        CutoverStrategy strategy = settings.cutoverStrategy();
        if (strategy == null) {
            try (Connection connection = connections.open()) {
                strategy = CutoverSupport.defaultFor(connection);
            }
        }
        Changelog changelog = new Changelog(settings.changelogTable());
        CutoverContext context = new CutoverContext() {
            @Override
            public TableName original() {
                return settings.table();
            }

            @Override
            public TableName ghost() {
                return settings.ghostTable();
            }

            @Override
            public TableName old() {
                return settings.oldTable();
            }

            @Override
            public Connection openConnection() throws SQLException {
                return connections.open();
            }

            @Override
            public Duration lockTimeout() {
                return settings.cutoverLockTimeout();
            }

            @Override
            public void awaitReplayCaughtUp(Duration timeout) throws Exception {
                try {
                    awaitMarker(changelog, "cutover", timeout);
                } catch (TimeoutException e) {
                    throw new TimeoutException("the replay did not catch up within " + timeout
                            + " of locking (backlog " + replayer.backlog() + " rows)");
                }
            }
        };
        Exception last = null;
        for (int attempt = 1; attempt <= settings.defaultRetries(); attempt++) {
            checkNotStopped();
            replayer.awaitBacklogAtMost(CUTOVER_READY_BACKLOG, Duration.ofSeconds(30));
            int currentAttempt = attempt;
            try {
                if (!approvedByListeners(attempt)) {
                    throw new IllegalStateException("a listener vetoed the cut-over");
                }
                CutoverOutcome outcome = strategy.cutOver(context);
                log.info("Lock & rename duration: {}. During this time, queries on {} were blocked",
                        GoDuration.format(outcome.lockHeld()), TableName.quote(settings.table().name()));
                notifyListeners(l -> l.cutoverCompleted(new CutoverCompleted(settings.table().toString(),
                        settings.oldTable().toString(), outcome.lockHeld(), currentAttempt)));
                return new Attempted(outcome, attempt);
            } catch (InterruptedException e) {
                throw e;
            } catch (UnsupportedOperationException e) {
                throw new CutoverFailedException("the " + strategy.name() + " cut-over cannot run here: "
                        + e.getMessage() + ". The original table is in place", e, List.of());
            } catch (Exception e) {
                last = e;
                Duration pause = settings.cutover().pauseAfter(attempt);
                log.warn("{} cut-over attempt {}/{} of {} failed: {}", strategy.name(), attempt,
                        settings.defaultRetries(), settings.table(), e.getMessage());
                if (attempt < settings.defaultRetries()) {
                    Thread.sleep(pause.toMillis()); // let the blocking transaction finish
                }
            }
        }
        throw new CutoverFailedException("cut-over of " + settings.table() + " failed " + settings.defaultRetries()
                + " times; last error: " + (last == null ? "none" : last.getMessage())
                + ". The original table is in place; retry when fewer long transactions hold locks on it, or raise "
                + "--cut-over-lock-timeout-seconds", last, List.of());
    }

    // ---- clean-up ----

    private Optional<String> cleanUpAfterCutover() {
        createdTables.remove(settings.ghostTable()); // it is the table now
        try (Connection connection = connections.open()) {
            execute(connection, "DROP TABLE IF EXISTS " + settings.changelogTable().quoted());
            createdTables.remove(settings.changelogTable());
            if (settings.okToDropTable()) {
                execute(connection, "DROP TABLE IF EXISTS " + settings.oldTable().quoted());
                log.info("dropped the old table {}", settings.oldTable());
                return Optional.empty();
            }
        } catch (SQLException e) {
            log.warn("clean-up after the cut-over of {} failed: {}", settings.table(), e.getMessage());
        }
        return Optional.of(settings.oldTable().toString());
    }

    private List<String> createdTableNames() {
        return createdTables.stream().map(TableName::toString).toList();
    }

    /** Drops what this migration created; returns the names of tables it could not drop. */
    private List<String> dropCreatedTables() {
        List<String> remaining = new ArrayList<>();
        if (createdTables.isEmpty()) {
            return remaining;
        }
        try (Connection connection = connections.open()) {
            for (TableName table : createdTables) {
                try {
                    execute(connection, "DROP TABLE IF EXISTS " + table.quoted());
                } catch (SQLException e) {
                    remaining.add(table.toString());
                }
            }
        } catch (SQLException e) {
            createdTables.forEach(t -> remaining.add(t.toString()));
        }
        createdTables.clear();
        return remaining;
    }

    private void stopStreaming(EventSource source) {
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
        }
        Replayer current = replayer;
        if (current != null) {
            current.close();
        }
    }

    // ---- errors, states, listeners ----

    private GhostException classify(Throwable failure) {
        if (cancelled) {
            return new MigrationCancelledException("migration of " + settings.table() + " was "
                    + (panicked ? "stopped by panic" : "cancelled"), List.of());
        }
        Throwable cause = asyncFailure != null ? asyncFailure : failure;
        if (cause instanceof GhostException ghost) {
            return ghost;
        }
        return new MigrationFailedException("migration of " + settings.table() + " failed: " + describe(cause),
                cause, List.of());
    }

    private static String describe(Throwable cause) {
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    private static GhostException withRemainingTables(GhostException error, List<String> remaining) {
        if (remaining.isEmpty() || !(error instanceof MigrationFailedException failed)) {
            return error;
        }
        if (failed instanceof MigrationCancelledException) {
            return new MigrationCancelledException(failed.getMessage(), remaining);
        }
        if (failed instanceof CriticalLoadException critical) {
            return new CriticalLoadException(failed.getMessage(), critical.reached(), remaining);
        }
        if (failed instanceof DataLossException loss) {
            return new DataLossException(failed.getMessage(), loss.warnings(), remaining);
        }
        if (failed instanceof CutoverFailedException) {
            return new CutoverFailedException(failed.getMessage(), failed.getCause(), remaining);
        }
        return new MigrationFailedException(failed.getMessage(), failed.getCause(), remaining);
    }

    private void transition(MigrationState next, String detail) {
        MigrationState previous = progress.state();
        if (previous == next) {
            return;
        }
        progress.state(next);
        log.debug("{}: {} -> {}", settings.table(), previous, next);
        StateChange change = new StateChange(settings.table().toString(), previous, next, Instant.now(), detail);
        notifyListeners(l -> l.stateChanged(change));
    }

    private void reportProgress() {
        MigrationStatus status = progress.snapshot();
        notifyListeners(l -> l.progress(status));
    }

    /** Asks every listener; one that says no, or throws, vetoes this attempt. */
    private boolean approvedByListeners(int attempt) {
        for (MigrationListener listener : settings.listeners()) {
            try {
                if (!listener.approveCutover(settings.table().toString(), attempt)) {
                    log.info("listener {} vetoed cut-over attempt {} of {}", listener, attempt, settings.table());
                    return false;
                }
            } catch (RuntimeException e) {
                log.warn("listener {} failed while asked to approve the cut-over, which vetoes it: {}", listener,
                        e.getMessage());
                return false;
            }
        }
        return true;
    }

    private void notifyListeners(Consumer<MigrationListener> call) {
        for (MigrationListener listener : settings.listeners()) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                log.warn("listener {} failed: {}", listener, e.getMessage());
            }
        }
    }

    private List<String> statusHeader() {
        List<String> lines = new ArrayList<>();
        lines.add("# Migrating " + settings.table().quoted() + "; Ghost table is " + settings.ghostTable().quoted());
        lines.add("# Migrating " + settings.server() + "; inspecting " + settings.server() + "; executing on "
                + settings.server().host());
        lines.add("# Migration started at " + startedAt);
        lines.add(String.format(Locale.ROOT, "# chunk-size: %d; max-lag-millis: %dms; dml-batch-size: %d; "
                        + "max-load: %s; critical-load: %s; nice-ratio: %f", live.chunkSize(), maxLag().toMillis(),
                live.dmlBatchSize(), maxLoad(), criticalLoad(), niceRatio()));
        for (ThrottlePolicy policy : policies) {
            if (policy instanceof FlagFilePolicy flag) {
                lines.add("# throttle-flag-file: " + flag.file() + (Files.exists(flag.file()) ? " [set]" : ""));
            }
        }
        if (!throttleQuery().isEmpty()) {
            lines.add("# throttle-query: " + throttleQuery());
        }
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

    /** Phase boundaries, for the result's timings. */
    private static final class Phases {
        private final long started;
        private long inspected;
        private long copied;
        private long cutOver;

        Phases(long started) {
            this.started = started;
        }

        void inspected() {
            inspected = System.nanoTime();
        }

        void copied() {
            copied = System.nanoTime();
        }

        void cutOver() {
            cutOver = System.nanoTime();
        }

        Duration inspect() {
            return between(started, inspected);
        }

        Duration copy() {
            return between(inspected, copied);
        }

        Duration cutover() {
            return between(copied, cutOver);
        }

        Duration total() {
            return Duration.ofNanos(System.nanoTime() - started);
        }

        private static Duration between(long from, long to) {
            return from == 0 || to == 0 ? Duration.ZERO : Duration.ofNanos(to - from);
        }
    }
}
