package dev.ghost;

import dev.ghost.event.MigrationListener;
import dev.ghost.internal.apply.Replayer;
import dev.ghost.internal.check.Replication;
import dev.ghost.internal.engine.CutoverOptions;
import dev.ghost.internal.engine.EventSources;
import dev.ghost.internal.engine.Migration;
import dev.ghost.internal.engine.MigrationSettings;
import dev.ghost.internal.sql.ConnectionTimeouts;
import dev.ghost.internal.trigger.TriggerOptions;
import dev.ghost.spi.CutoverStrategy;
import dev.ghost.spi.EventSource;
import dev.ghost.spi.RowCopyStrategy;
import dev.ghost.spi.TableName;
import dev.ghost.spi.ThrottlePolicy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * One online schema change of one table: gh-ost's triggerless algorithm. Build it, then {@link #run()} it (blocking)
 * or {@link #start()} it (returns a handle).
 *
 * <pre>{@code
 * SchemaChangeResult result = OnlineSchemaChange.builder()
 *     .connection(ServerAddress.of("db1", 3306), "ghost", "secret")
 *     .database("shop").table("orders")
 *     .alter("ADD COLUMN note VARCHAR(64)")
 *     .build()
 *     .run();
 * }</pre>
 *
 * <p>An instance runs once. Settings are immutable after {@link Builder#build()}; the handle from {@link #start()}
 * changes the few that may change at run time.
 */
public final class OnlineSchemaChange {

    /** The copy's default chunk time; see {@link Builder#chunkTime}. */
    private static final Duration DEFAULT_CHUNK_TIME = Duration.ofMillis(100);
    private static final DateTimeFormatter OLD_TABLE_TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    private final MigrationSettings settings;

    private OnlineSchemaChange(MigrationSettings settings) {
        this.settings = settings;
    }

    /**
     * Starts a new migration's settings.
     *
     * @return a builder with gh-ost's defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs the whole migration in the calling thread and returns its result; throws a {@link GhostException}.
     *
     * @return what the migration did
     * @throws PreflightCheckException when a check refuses the migration before anything is created
     * @throws MigrationFailedException when the migration fails after it started
     */
    public SchemaChangeResult run() {
        return start().await();
    }

    /**
     * Starts the migration on its own threads and returns at once.
     *
     * @return the handle to watch, steer, await or cancel it
     */
    public RunningMigration start() {
        return Migration.start(settings);
    }

    /**
     * The table this change migrates, {@code schema.table}.
     *
     * @return the schema-qualified name
     */
    public String table() {
        return settings.table().toString();
    }

    /**
     * Collects settings; {@link #build()} validates all of them at once, without touching the database.
     * Names follow gh-ost's flags where gh-ost has one.
     */
    public static final class Builder {
        private ServerAddress server;
        private String user;
        private String password = "";
        private String database;
        private String table;
        private String alter;
        /** Null: the chunk size adapts to the chunk time. */
        private Integer chunkSize;
        private Duration chunkTime = DEFAULT_CHUNK_TIME;
        /** Null: chosen by the server's cores when the copy starts. */
        private Integer copyThreads;
        private int dmlBatchSize = 100;
        private int replayThreads = 2;
        private long replayQueueBytes = Replayer.DEFAULT_QUEUE_BYTES;
        private int defaultRetries = 60;
        private Duration cutoverLockTimeout = Duration.ofSeconds(3);
        private boolean okToDropTable;
        private boolean initiallyDropGhostTable;
        private boolean initiallyDropOldTable;
        private boolean exactRowCount;
        private boolean dryRun;
        private boolean approveRenamedColumns;
        private boolean skipRenamedColumns;
        private boolean discardForeignKeys;
        private boolean allowNullableUniqueKey;
        private boolean includeTriggers;
        private String triggerSuffix = "";
        private boolean removeTriggerSuffixIfExists;
        private boolean allowZeroInDate;
        private boolean skipStrictMode;
        private String forceTableNames;
        private Boolean panicOnWarnings;
        private boolean checksum = true;
        private Boolean deferSecondaryIndexes;
        private boolean checkpoint;
        private Duration checkpointInterval = MigrationSettings.Checkpoints.NONE.interval();
        private boolean resume;
        private String revertTo;
        private boolean testOnReplica;
        private boolean testOnReplicaSkipReplicaStop;
        private boolean migrateOnReplica;
        private List<ServerAddress> controlReplicas = List.of();
        private boolean viaReplica;
        private ServerAddress master;
        private String masterUser;
        private String masterPassword;
        private boolean allowMasterMaster;
        private boolean switchToRbr;
        private long replicaServerId;
        private Path postponeCutoverFlagFile;
        private Path serveSocketFile;
        private boolean initiallyDropSocketFile;
        private int serveTcpPort;
        private boolean forceNamedPanic;
        private Duration heartbeatInterval = Duration.ofMillis(100);
        private Duration progressInterval = Duration.ofSeconds(1);
        private Duration mysqlTimeout; // null: ConnectionTimeouts.DEFAULTS
        private Duration mysqlWaitTimeout; // null: the server's
        private Tls tls = Tls.preferred();
        private final List<ThrottlePolicy> throttlePolicies = new ArrayList<>();
        private final List<MigrationListener> listeners = new ArrayList<>();
        private RowCopyStrategy rowCopyStrategy;
        private EventSource eventSource;
        private CutoverStrategy cutoverStrategy;
        private boolean cutoverExponentialBackoff;
        private Duration exponentialBackoffMaxInterval = Duration.ofSeconds(64);
        private boolean timestampOldTable;
        private boolean forceNamedCutover;
        private boolean attemptInstantDdl;
        private boolean analyzeGhostTableBeforeCutover;
        private BinlogPositioning binlogPositioning = BinlogPositioning.FILE_OFFSET;

        private Builder() {
        }

        /**
         * The server to migrate on; the user also reads the binlog (needs REPLICATION SLAVE and CLIENT).
         *
         * @param server the server's host and port
         * @param user the MySQL user ghost connects as
         * @param password its password; null for none
         * @return this builder
         */
        public Builder connection(ServerAddress server, String user, String password) {
            this.server = server;
            this.user = user;
            this.password = password == null ? "" : password;
            return this;
        }

        /**
         * Like {@link #connection(ServerAddress, String, String)}, with the address in two parts.
         *
         * @param host the server's host name or IP address
         * @param port its port
         * @param user the MySQL user ghost connects as
         * @param password its password; null for none
         * @return this builder
         */
        public Builder connection(String host, int port, String user, String password) {
            return connection(host == null ? null : ServerAddress.of(host, port), user, password);
        }

        /**
         * The schema (database) of the table to migrate.
         *
         * @param database the schema, unquoted
         * @return this builder
         */
        public Builder database(String database) {
            this.database = database;
            return this;
        }

        /**
         * The table to migrate.
         *
         * @param table the table's name, unquoted, without the schema
         * @return this builder
         */
        public Builder table(String table) {
            this.table = table;
            return this;
        }

        /**
         * The ALTER clauses, e.g. {@code ADD COLUMN c INT}; a leading {@code ALTER TABLE name} is allowed.
         *
         * @param alter the clauses, as they would follow {@code ALTER TABLE t}
         * @return this builder
         */
        public Builder alter(String alter) {
            this.alter = alter;
            return this;
        }

        /**
         * Rows per copy chunk, 10..100000, fixed. By default the size adapts instead (see {@link #chunkTime}); an
         * explicit size wins over it. Changeable at run time ({@link RunningMigration#chunkSize}), which fixes it too.
         *
         * @param rows rows per chunk, 10..100000
         * @return this builder
         */
        public Builder chunkSize(int rows) {
            this.chunkSize = rows;
            return this;
        }

        /**
         * How long a copy chunk should take, 10 ms..10 s (default 100 ms): the chunk
         * size starts at 1000 rows and adapts after every chunk, within 10..100000 rows, so that a chunk takes about
         * this long (pt-online-schema-change's {@code --chunk-time}). A chunk holds shared locks on its rows until it
         * ends, so a writer touching one waits up to this long. Without effect when {@link #chunkSize} is given.
         *
         * @param target the time one chunk should take
         * @return this builder
         */
        public Builder chunkTime(Duration target) {
            this.chunkTime = target;
            return this;
        }

        /**
         * Chunks copied at once by the built-in copy, each on a connection of its own, 1..32. By default ghost
         * chooses by the server's cores: one thread per four cores, 1..4, and one where the server does not tell its
         * cores (MySQL). Each thread keeps about one server core busy; the binlog dump, the replay and the
         * application need the others (on a 2-core server, two threads copied slower than one). The throttle,
         * nice-ratio and the replay's priority hold every thread alike.
         *
         * @param threads chunks copied at once, 1..32
         * @return this builder
         */
        public Builder copyThreads(int threads) {
            this.copyThreads = threads;
            return this;
        }

        /**
         * Changed keys the replay applies per transaction and connection, 1..10000 (default 100): a round of the
         * replay takes up to {@code dmlBatchSize * replayThreads} distinct keys. Changeable at run time.
         *
         * @param rows changed keys per transaction, 1..10000
         * @return this builder
         */
        public Builder dmlBatchSize(int rows) {
            this.dmlBatchSize = rows;
            return this;
        }

        /**
         * Connections that apply the binlog at once, 1..32 (default 2). The replay splits each round of changed keys
         * by key hash and applies the parts in parallel: first every part's deletes, then every part's rows copied
         * again from the original.
         *
         * @param threads replay connections, 1..32
         * @return this builder
         */
        public Builder replayThreads(int threads) {
            this.replayThreads = threads;
            return this;
        }

        /**
         * The memory the replay's queue of changed keys may take, in bytes, at least 4096 (default 32 MB, or an
         * eighth of the heap when that is smaller). The queue holds keys, not rows: a key changed many times counts
         * once. When it is full, reading the binlog waits for the replay.
         *
         * @param bytes the queue's memory limit
         * @return this builder
         */
        public Builder replayQueueBytes(long bytes) {
            this.replayQueueBytes = bytes;
            return this;
        }

        /**
         * How often a failing cut-over (or other retryable step) is tried (default 60).
         *
         * @param retries attempts, at least 1
         * @return this builder
         */
        public Builder defaultRetries(int retries) {
            this.defaultRetries = retries;
            return this;
        }

        /**
         * How long the cut-over may wait for and hold its locks per attempt (default 3 s).
         *
         * @param timeout the lock wait per attempt, positive
         * @return this builder
         */
        public Builder cutoverLockTimeout(Duration timeout) {
            this.cutoverLockTimeout = timeout;
            return this;
        }

        /**
         * Drop the old table after a successful cut-over (default: keep it as {@code _<table>_del}).
         *
         * @param drop whether to drop the old table
         * @return this builder
         */
        public Builder okToDropTable(boolean drop) {
            this.okToDropTable = drop;
            return this;
        }

        /**
         * Drop a ghost table left by an earlier run instead of refusing to start.
         *
         * @param drop whether to drop a leftover ghost table
         * @return this builder
         */
        public Builder initiallyDropGhostTable(boolean drop) {
            this.initiallyDropGhostTable = drop;
            return this;
        }

        /**
         * Drop an old table ({@code _<table>_del}) left by an earlier run instead of refusing to start.
         *
         * @param drop whether to drop a leftover old table
         * @return this builder
         */
        public Builder initiallyDropOldTable(boolean drop) {
            this.initiallyDropOldTable = drop;
            return this;
        }

        /**
         * Count the rows with COUNT(*) for progress, instead of EXPLAIN's estimate.
         *
         * @param exact whether to count the rows exactly (slow on big tables)
         * @return this builder
         */
        public Builder exactRowCount(boolean exact) {
            this.exactRowCount = exact;
            return this;
        }

        /**
         * Check everything, create and alter the ghost table to prove the ALTER, then drop it.
         *
         * @param dryRun whether to only check, changing nothing for good
         * @return this builder
         */
        public Builder dryRun(boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        /**
         * The ALTER renames columns (CHANGE a b, RENAME COLUMN a TO b) and that is intended: copy their values under
         * the new names. Without this (or {@link #skipRenamedColumns}) such an ALTER is refused, because a wrong
         * guess would lose the column's data.
         *
         * @param approve whether the renames are intended
         * @return this builder
         */
        public Builder approveRenamedColumns(boolean approve) {
            this.approveRenamedColumns = approve;
            return this;
        }

        /**
         * The ALTER renames columns, and their values are not to be copied: the new columns get their defaults.
         *
         * @param skip whether to leave renamed columns' values behind
         * @return this builder
         */
        public Builder skipRenamedColumns(boolean skip) {
            this.skipRenamedColumns = skip;
            return this;
        }

        /**
         * Migrate a table that has foreign keys to other tables; the new table will have none (gh-ost's
         * {@code --discard-foreign-keys}). Tables referenced by others' foreign keys are always refused.
         *
         * @param discard whether to drop the table's own foreign keys
         * @return this builder
         */
        public Builder discardForeignKeys(boolean discard) {
            this.discardForeignKeys = discard;
            return this;
        }

        /**
         * Migrate a table that has triggers ({@code --include-triggers}): its triggers are created on the new table,
         * under their names plus {@link #triggerSuffix(String)} (required with it), at the cut-over, while the
         * original is locked and the replay has caught up, so that no copied or replayed row fires them. The old
         * table keeps its triggers under their own names. Off (the default), a table with triggers is refused.
         *
         * @param include whether to carry the table's triggers over
         * @return this builder
         */
        public Builder includeTriggers(boolean include) {
            this.includeTriggers = include;
            return this;
        }

        /**
         * Appended to the name of each trigger created on the new table ({@code --trigger-suffix}, e.g. {@code _v2};
         * letters, digits and underscores): trigger names are unique per schema, and the old table keeps its own.
         * Required with {@link #includeTriggers(boolean)}, and only with it.
         *
         * @param suffix the suffix, e.g. {@code _v2}
         * @return this builder
         */
        public Builder triggerSuffix(String suffix) {
            this.triggerSuffix = suffix;
            return this;
        }

        /**
         * A trigger whose name already ends with the {@link #triggerSuffix(String) suffix} loses it instead of getting
         * it twice ({@code --remove-trigger-suffix-if-exists}), so that successive migrations alternate between two
         * names. Only with {@link #includeTriggers(boolean)}.
         *
         * @param remove whether to drop a suffix already there
         * @return this builder
         */
        public Builder removeTriggerSuffixIfExists(boolean remove) {
            this.removeTriggerSuffixIfExists = remove;
            return this;
        }

        /**
         * Let a unique key with NULLable columns identify rows ({@code --allow-nullable-unique-key}). Only safe when
         * those columns hold no NULLs: rows with a NULL in the key would not be copied.
         *
         * @param allow whether a unique key with NULLable columns may be used
         * @return this builder
         */
        public Builder allowNullableUniqueKey(boolean allow) {
            this.allowNullableUniqueKey = allow;
            return this;
        }

        /**
         * Create and alter the new table allowing zero dates ({@code --allow-zero-in-date}). Off (the default), the
         * new table is created and altered under the server's own global {@code sql_mode}, as gh-ost does: where that
         * has NO_ZERO_DATE or NO_ZERO_IN_DATE, a zero default such as {@code DEFAULT '0000-00-00'} is refused with the
         * server's error ("Invalid default value") before anything is copied. On, such defaults are kept. Either way,
         * zero dates already stored in rows are copied and replayed unchanged.
         *
         * @param allow whether zero dates are allowed in the new table's definition
         * @return this builder
         */
        public Builder allowZeroInDate(boolean allow) {
            this.allowZeroInDate = allow;
            return this;
        }

        /**
         * Copy and replay under the server's own {@code sql_mode} ({@code --skip-strict-mode}). Off (the default),
         * ghost adds STRICT_ALL_TABLES to the sessions that copy rows and apply the binlog, as gh-ost does: a replayed
         * value the new column cannot hold (too long, out of range) then fails the migration with the server's error,
         * whatever the server's own mode. On, such a value is stored truncated or clipped with a warning where the
         * server's mode is not strict; the data-loss guard ({@link #panicOnWarnings}) still stops the migration when it
         * is on. The copy's {@code INSERT IGNORE} turns such errors into warnings either way.
         *
         * @param skip whether to keep the server's own {@code sql_mode}
         * @return this builder
         */
        public Builder skipStrictMode(boolean skip) {
            this.skipStrictMode = skip;
            return this;
        }

        /**
         * Name the helper tables after {@code base} instead of the table ({@code --force-table-names}):
         * {@code _<base>_gho}, {@code _<base>_ghc}, {@code _<base>_ghk} and the old table {@code _<base>_del}, e.g. to
         * keep them short for a long table name or to find them under a fixed name. Letters, digits and underscores;
         * at most 59 characters (44 with {@link #timestampOldTable}). The atomic cut-over's sentry keeps the table's
         * own name plus {@code _gcs}: it must sort after the table's name. {@code null} or blank: the table's name.
         *
         * @param base the base of the helper tables' names, or null
         * @return this builder
         */
        public Builder forceTableNames(String base) {
            this.forceTableNames = base == null || base.isBlank() ? null : base;
            return this;
        }

        /**
         * Stop before the cut-over when copying rows produces warnings that mean data loss (gh-ost's
         * {@code --panic-on-warnings}): a unique key added over duplicate values, a truncated value, a character the
         * new charset cannot hold. By default it is on when the ALTER adds a unique key or changes a column's type,
         * and off otherwise; this setting overrides that.
         *
         * @param panic whether warnings that mean data loss stop the migration
         * @return this builder
         */
        public Builder panicOnWarnings(boolean panic) {
            this.panicOnWarnings = panic;
            return this;
        }

        /**
         * Build the new table's non-unique secondary indexes after the copy ({@code true}), online while the replay
         * goes on, as the server's own ALTER sorts them, instead of updating them row by row through the copy: on 1M
         * sysbench rows the copy took 2.6-3.1 s plus 0.7-0.8 s for the index against 5.1-5.3 s with it. Unique keys
         * are never deferred: they decide which rows the copy keeps. By default ghost defers them only when it
         * migrates on the master and the server has no replicas (on a replica, building the index would hold up
         * replication for as long as it takes).
         *
         * @param defer whether to build non-unique indexes after the copy
         * @return this builder
         */
        public Builder deferSecondaryIndexes(boolean defer) {
            this.deferSecondaryIndexes = defer;
            return this;
        }

        /**
         * Write a checkpoint every {@link #checkpointInterval} (default off; gh-ost's {@code --checkpoint}), so that
         * an interrupted run can be finished by another with {@link #resume(boolean)}. A checkpoint is written only at
         * a consistent point: a marker through the binlog proves that the replay applied everything before the
         * position stored, and the copy's progress stored is the end of its unbroken run of copied chunks. Stored in
         * {@code _<table>_ghk}, which is dropped with the changelog after the cut-over, and kept (with the ghost and
         * changelog tables) when the run is killed or panics.
         *
         * @param enabled whether to write checkpoints
         * @return this builder
         */
        public Builder checkpoint(boolean enabled) {
            this.checkpoint = enabled;
            return this;
        }

        /**
         * Time between checkpoints (default 5 minutes, at least 1 second; gh-ost's {@code --checkpoint-seconds}).
         *
         * @param interval time between checkpoints, at least 1 s
         * @return this builder
         */
        public Builder checkpointInterval(Duration interval) {
            this.checkpointInterval = interval;
            return this;
        }

        /**
         * Finish an interrupted run from its last checkpoint (gh-ost's {@code --resume}): keep its ghost table, replay
         * the binlog from the stored position (by GTID when the checkpoint has a GTID set, so that it also works
         * through another replica), and copy on after the stored key. Refused, before anything is changed, when there
         * is no checkpoint, when the table, the ALTER or the ghost table differ from what the checkpoint recorded, or
         * when the binlog at its position is gone. A resumed run writes checkpoints too, so it can be resumed again.
         * {@code initiallyDropGhostTable} is ignored.
         *
         * @param resume whether to go on from the last checkpoint
         * @return this builder
         */
        public Builder resume(boolean resume) {
            this.resume = resume;
            return this;
        }

        /**
         * Undo a completed migration (gh-ost's {@code --revert --old-table=<name>}): bring {@code oldTable} (the
         * table it replaced, {@code _<table>_del}) up to date with every write made to the table since that cut-over,
         * from the binlog, then swap it back in with the same cut-over; the migrated table is kept as
         * {@code _<table>_rev}. Needs the cut-over checkpoint that a migration with {@link #checkpoint(boolean)}
         * writes in {@code _<table>_ghk}, and the binlog since that cut-over. Columns the migration added are left
         * out; a column it dropped keeps the values it had at the cut-over; values the old types cannot hold stop the
         * revert (the data-loss guard), and the checksum proves the result before the swap. The ALTER is not needed.
         *
         * @param oldTable the old table the migration left, e.g. {@code _orders_del}
         * @return this builder
         */
        public Builder revert(String oldTable) {
            this.revertTo = oldTable;
            return this;
        }

        /**
         * Prove before the cut-over that the ghost table holds exactly the original's rows (on by default;
         * {@code --checksum=false}). After the copy and catch-up, and again after a postponement, both tables are
         * read at one consistent point (the original is locked for reading for about as long as a cut-over's lock)
         * and every key range is checksummed over all copied columns, compared under the new column types. A range
         * that differs is copied again and checked again; one that still differs stops the migration, named, with
         * {@link DataLossException}, and nothing is cut over.
         *
         * @param verify whether to compare both tables before the cut-over
         * @return this builder
         */
        public Builder checksum(boolean verify) {
            this.checksum = verify;
            return this;
        }

        /**
         * Test the migration on a replica ({@code --test-on-replica}): the connection is a replica, on which
         * everything happens; at the cut-over its replication is stopped, the tables are swapped and swapped right
         * back, and replication is left stopped, so that the original and the migrated table ({@code _t_gho}) can
         * be compared. The replica needs {@code log_slave_updates} and ROW format. Without it (and without
         * {@link #migrateOnReplica}), a server that replicates from another is refused.
         *
         * @param test whether to test on the replica given as the connection
         * @return this builder
         */
        public Builder testOnReplica(boolean test) {
            this.testOnReplica = test;
            return this;
        }

        /**
         * With {@link #testOnReplica}: never stop the replica's replication ({@code
         * --test-on-replica-skip-replica-stop}).
         *
         * @param keepReplicating whether replication keeps running
         * @return this builder
         */
        public Builder testOnReplicaSkipReplicaStop(boolean keepReplicating) {
            this.testOnReplicaSkipReplicaStop = keepReplicating;
            return this;
        }

        /**
         * Migrate on a replica ({@code --migrate-on-replica}): everything happens on the replica, whose replication
         * is stopped for the cut-over and started again after it, so that the master's later changes reach the new
         * table. The replica needs {@code log_slave_updates} and ROW format.
         *
         * @param migrate whether to migrate on the replica given as the connection
         * @return this builder
         */
        public Builder migrateOnReplica(boolean migrate) {
            this.migrateOnReplica = migrate;
            return this;
        }

        /**
         * Replicas whose lag throttles the copy ({@code --throttle-control-replicas}): the copy pauses while any of
         * them lags more than the {@link ThrottlePolicy#maxLag max lag} (1.5 s when none is set, gh-ost's default),
         * and while one cannot be read. Each lag is the age of the changelog heartbeat it has applied, else its
         * {@code Seconds_Behind_Master}. They are read with the migration's credentials.
         *
         * @param replicas the replicas to watch; empty for none
         * @return this builder
         */
        public Builder throttleControlReplicas(List<ServerAddress> replicas) {
            this.controlReplicas = replicas == null ? null : List.copyOf(replicas);
            return this;
        }

        /**
         * gh-ost's default topology: the {@link #connection connection} is a replica, where the table is inspected
         * and the binlog read; every write (ghost and changelog tables, copy, replay, cut-over) goes to its master,
         * found through the replica's replication status unless {@link #master} names it. The replica needs
         * {@code log_slave_updates} and ROW format; the master's binlog format does not matter. The changelog
         * heartbeat, written on the master and read back from the replica's binlog, measures the replica's lag,
         * which {@link ThrottlePolicy#maxLag} throttles on.
         *
         * @param readReplica whether the connection is a replica of the server to migrate on
         * @return this builder
         */
        public Builder viaReplica(boolean readReplica) {
            this.viaReplica = readReplica;
            return this;
        }

        /**
         * The master to migrate on, reading the replica given as the connection ({@code --assume-master-host}).
         *
         * @param address the master's host and port
         * @return this builder
         */
        public Builder master(ServerAddress address) {
            this.master = address;
            return this;
        }

        /**
         * Credentials for the master when they differ ({@code --master-user}, {@code --master-password}).
         *
         * @param user the user on the master
         * @param password its password
         * @return this builder
         */
        public Builder masterCredentials(String user, String password) {
            this.masterUser = user;
            this.masterPassword = password;
            return this;
        }

        /**
         * The server ghost writes on may itself replicate from another master, as in a master-master pair
         * ({@code --allow-master-master}); without it, such a server is refused.
         *
         * @param allow whether the server written on may replicate from another
         * @return this builder
         */
        public Builder allowMasterMaster(boolean allow) {
            this.allowMasterMaster = allow;
            return this;
        }

        /**
         * On the replica ghost reads, set {@code binlog_format=ROW} and restart replication when it is not ROW
         * ({@code --switch-to-rbr}). The setting stays changed after the migration.
         *
         * @param switchFormat whether to switch the replica to ROW format
         * @return this builder
         */
        public Builder switchToRbr(boolean switchFormat) {
            this.switchToRbr = switchFormat;
            return this;
        }

        /**
         * The server id ghost's binlog reader uses ({@code --replica-server-id}); 0 (default): a random one.
         *
         * @param serverId 1..4294967295, unique among the server's replicas; 0 for a random one
         * @return this builder
         */
        public Builder replicaServerId(long serverId) {
            this.replicaServerId = serverId;
            return this;
        }

        /**
         * Hold the cut-over while this file exists ({@code --postpone-cut-over-flag-file}).
         *
         * @param file the flag file, which need not exist yet
         * @return this builder
         */
        public Builder postponeCutoverFlagFile(Path file) {
            this.postponeCutoverFlagFile = file;
            return this;
        }

        /**
         * Answer gh-ost's interactive commands on this unix socket ({@code --serve-socket-file}).
         *
         * @param file where to create the socket
         * @return this builder
         */
        public Builder serveSocketFile(Path file) {
            this.serveSocketFile = file;
            return this;
        }

        /**
         * Also answer gh-ost's interactive commands on this TCP port ({@code --serve-tcp-port}), bound to 127.0.0.1
         * only: the commands are not authenticated. 0 (the default): no TCP.
         *
         * @param port the port on 127.0.0.1, or 0 for none
         * @return this builder
         */
        public Builder serveTcpPort(int port) {
            this.serveTcpPort = port;
            return this;
        }

        /**
         * The {@code panic} socket command must name the table: {@code panic=<table>} ({@code --force-named-panic}).
         *
         * @param force whether {@code panic} must name the table
         * @return this builder
         */
        public Builder forceNamedPanic(boolean force) {
            this.forceNamedPanic = force;
            return this;
        }

        /**
         * Remove a stale socket file at {@code serveSocketFile} before listening.
         *
         * @param drop whether to remove a file left at the socket's path
         * @return this builder
         */
        public Builder initiallyDropSocketFile(boolean drop) {
            this.initiallyDropSocketFile = drop;
            return this;
        }

        /**
         * How often the changelog heartbeat is written (default 100 ms); lag is measured with it.
         *
         * @param interval time between heartbeats, positive
         * @return this builder
         */
        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = interval;
            return this;
        }

        /**
         * gh-ost's {@code --mysql-timeout}: the connect timeout of every connection ghost opens, and the read timeout
         * of those whose statements are short by design (the heartbeat, the throttle checks, the migration lock).
         * Not set, they are 10 s and 30 s. The copy and the replay get ten times the read timeout, at least 5 min
         * (their statements may wait for row locks); statements that legitimately run long (the checksum, a deferred
         * index build, the cut-over's lock waits, dropping the old table) get none, and rely on the server's own
         * limits and on TCP keep-alive. A connection whose read times out is treated as lost: reopened, or the
         * migration fails (see the README's "Connection failures").
         *
         * @param timeout the connect timeout, at least 100 ms
         * @return this builder
         */
        public Builder mysqlTimeout(Duration timeout) {
            this.mysqlTimeout = timeout;
            return this;
        }

        /**
         * The session {@code wait_timeout} of every connection ghost opens, in whole seconds (at least 1 s): how long
         * the server keeps an idle ghost session. Not set, the server's own. A server whose global wait_timeout is
         * low can end ghost's idle sessions (the replay's, between writes); they are reopened, but setting this
         * spares the churn.
         *
         * @param timeout the idle time the server allows, 1 s..365 days
         * @return this builder
         */
        public Builder mysqlWaitTimeout(Duration timeout) {
            this.mysqlWaitTimeout = timeout;
            return this;
        }

        /**
         * How every connection ghost opens uses TLS: to the server, to the master it writes on when it reads a
         * replica, to the control replicas, and the binlog stream (default {@link Tls#preferred()}: encrypted when
         * the server offers it, unverified). gh-ost's {@code --ssl} is {@link Tls#verifyIdentity()}, with
         * {@code --ssl-ca} {@link Tls#ca}, with {@code --ssl-cert} and {@code --ssl-key}
         * {@link Tls#clientCertificate}; {@code --ssl --ssl-allow-insecure} is {@link Tls#required()}. The files
         * are checked by {@link #build()}; a server that refuses the settings (no TLS, a certificate the CA did not
         * sign) fails the first connection, before anything is created.
         *
         * @param tls the TLS settings for every connection
         * @return this builder
         */
        public Builder tls(Tls tls) {
            this.tls = tls;
            return this;
        }

        /**
         * How often listeners get {@link MigrationListener#progress} (default 1 s).
         *
         * @param interval time between progress events, positive
         * @return this builder
         */
        public Builder progressInterval(Duration interval) {
            this.progressInterval = interval;
            return this;
        }

        /**
         * gh-ost's {@code --throttle-query}: pause the copy while it returns a value above zero.
         *
         * @param query a SELECT whose first column is a number
         * @return this builder
         */
        public Builder throttleQuery(String query) {
            return throttlePolicy(query == null ? null : ThrottlePolicy.throttleQuery(query));
        }

        /**
         * Adds a throttle policy; the copy pauses while any policy throttles.
         *
         * @param policy a built-in from {@link ThrottlePolicy} or your own
         * @return this builder
         */
        public Builder throttlePolicy(ThrottlePolicy policy) {
            throttlePolicies.add(policy);
            return this;
        }

        /**
         * Adds a listener for the migration's events; listeners are called in the order added.
         *
         * @param listener called on the engine's threads
         * @return this builder
         */
        public Builder listener(MigrationListener listener) {
            listeners.add(listener);
            return this;
        }

        /**
         * Replaces the built-in chunked copy.
         *
         * @param strategy the copy to use instead
         * @return this builder
         */
        public Builder rowCopyStrategy(RowCopyStrategy strategy) {
            this.rowCopyStrategy = strategy;
            return this;
        }

        /**
         * Where the binlog stream starts: at the current file and offset ({@link BinlogPositioning#FILE_OFFSET}, the
         * default) or after the server's executed GTIDs ({@link BinlogPositioning#GTID}, gh-ost's {@code --gtid}).
         *
         * @param positioning file and offset, or GTID
         * @return this builder
         */
        public Builder binlogPositioning(BinlogPositioning positioning) {
            this.binlogPositioning = positioning;
            return this;
        }

        /**
         * Replaces the event source found through ServiceLoader (ghost-binlog).
         *
         * @param source the source to use instead
         * @return this builder
         */
        public Builder eventSource(EventSource source) {
            this.eventSource = source;
            return this;
        }

        /**
         * How the tables are swapped: {@link CutoverStrategy#atomic()}, {@link CutoverStrategy#renameUnderLock()},
         * {@link CutoverStrategy#twoStep()} or your own. Default: atomic, on every server (rename-under-lock
         * blocks its own replay under writes; see its javadoc).
         *
         * @param strategy the strategy
         * @return this builder
         */
        public Builder cutoverStrategy(CutoverStrategy strategy) {
            this.cutoverStrategy = strategy;
            return this;
        }

        /**
         * Wait 1, 2, 4, 8 ... seconds between failed cut-over attempts, up to
         * {@link #exponentialBackoffMaxInterval} ({@code --cut-over-exponential-backoff}); default: 1 s each time.
         *
         * @param exponential whether the wait doubles after each failure
         * @return this builder
         */
        public Builder cutoverExponentialBackoff(boolean exponential) {
            this.cutoverExponentialBackoff = exponential;
            return this;
        }

        /**
         * The longest wait between cut-over attempts with exponential backoff (default 64 s).
         *
         * @param interval the longest wait, positive
         * @return this builder
         */
        public Builder exponentialBackoffMaxInterval(Duration interval) {
            this.exponentialBackoffMaxInterval = interval;
            return this;
        }

        /**
         * Name the old table {@code _<table>_<yyyyMMddHHmmss>_del}, the build time in UTC, as gh-ost does.
         *
         * @param timestamp whether the old table's name holds the time
         * @return this builder
         */
        public Builder timestampOldTable(boolean timestamp) {
            this.timestampOldTable = timestamp;
            return this;
        }

        /**
         * The socket command that releases a postponed cut-over must name the table: {@code unpostpone=<table>}.
         *
         * @param force whether {@code unpostpone} must name the table
         * @return this builder
         */
        public Builder forceNamedCutover(boolean force) {
            this.forceNamedCutover = force;
            return this;
        }

        /**
         * First run the ALTER on the table itself with {@code ALGORITHM=INSTANT} ({@code --attempt-instant-ddl};
         * default off), once the checks have passed and the migration lock is held, before anything is created. The
         * server decides whether the change is metadata-only (MariaDB 10.3+ and MySQL 8.0+: adding a column, dropping
         * one on MariaDB 10.4+, extending a VARCHAR, renaming, changing a default, dropping an index...); when it
         * accepts, the migration is done in a moment, with no ghost table and no copy, and
         * {@link SchemaChangeResult#instantDdl()} says so. When it refuses, the full migration runs as usual. The
         * ALTER needs the table's metadata lock: while it waits, every later statement on the table waits behind it,
         * so the wait is bounded by {@link #cutoverLockTimeout} and retried after a pause, up to
         * {@link #defaultRetries} times, before falling back to the full migration. A dry run tries
         * {@code ALGORITHM=INSTANT} on its empty ghost table only and reports whether it would apply (a prediction:
         * the real table's row format or history may still refuse it). With {@link #testOnReplica} the same
         * prediction is made and the migration is tested in full: applying the ALTER would change the replica's table
         * for good. With {@link #discardForeignKeys} on a table that has child-side foreign keys it is not attempted:
         * the table would keep the keys that the full migration drops. {@link #build()} refuses it together with
         * {@link #resume} or {@link #revert}.
         *
         * @param attempt whether to try {@code ALGORITHM=INSTANT} first
         * @return this builder
         */
        public Builder attemptInstantDdl(boolean attempt) {
            this.attemptInstantDdl = attempt;
            return this;
        }

        /**
         * Run {@code ANALYZE TABLE} on the ghost table right before the cut-over
         * ({@code --analyze-ghost-table-before-cutover}; default off): after the catch-up, the checksum and any
         * postponement, before anything is locked, so that the new table starts serving with statistics of its rows
         * rather than of the empty table it was created as. If the ANALYZE fails (an error, or a result row of type
         * error, such as a lock it could not get within {@link #cutoverLockTimeout}), the cut-over is not attempted
         * and the migration fails with {@link MigrationFailedException}, the original table in place. The statement
         * replicates, and its cost grows with the table's partitions.
         *
         * @param analyze whether to analyze the ghost table
         * @return this builder
         */
        public Builder analyzeGhostTableBeforeCutover(boolean analyze) {
            this.analyzeGhostTableBeforeCutover = analyze;
            return this;
        }

        /**
         * Validates every setting at once, without touching the database.
         *
         * @return the migration, ready to run once
         * @throws InvalidSettingsException listing every problem found
         */
        public OnlineSchemaChange build() {
            List<String> problems = new ArrayList<>();
            if (server == null) {
                problems.add("connection: a server address is required");
            } else {
                if (server.host() == null || server.host().isBlank()) {
                    problems.add("connection: the host is empty");
                }
                if (server.port() < 1 || server.port() > 65535) {
                    problems.add("connection: port " + server.port() + " is not in 1..65535");
                }
            }
            if (server != null && (user == null || user.isBlank())) {
                problems.add("connection: a user is required");
            }
            requireIdentifier(problems, "database", database);
            requireIdentifier(problems, "table", table);
            if (forceTableNames != null) {
                if (!forceTableNames.matches("[A-Za-z0-9_]+")) {
                    problems.add("forceTableNames: `" + forceTableNames + "` may hold only letters, digits and "
                            + "underscores");
                } else if (forceTableNames.length() + "__gho".length() > 64) {
                    problems.add("forceTableNames: `" + forceTableNames + "` is " + forceTableNames.length()
                            + " characters long; the ghost table name _" + forceTableNames + "_gho would exceed "
                            + "MySQL's 64-character limit (at most 59 characters)");
                }
                if (table != null && table.length() + "_gcs".length() > 64) {
                    problems.add("table: `" + table + "` is " + table.length() + " characters long; the atomic "
                            + "cut-over's sentry " + table + "_gcs would exceed MySQL's 64-character limit (at most 60 "
                            + "characters)");
                }
            } else if (table != null && !table.isBlank() && table.length() + "_".length() + "_gho".length() > 64) {
                problems.add("table: `" + table + "` is " + table.length() + " characters long; its ghost table name "
                        + "_" + table + "_gho would exceed MySQL's 64-character limit (at most 59 characters)");
            }
            if ((alter == null || alter.isBlank()) && revertTo == null) {
                problems.add("alter: the ALTER statement is required, e.g. \"ADD COLUMN c INT\"");
            }
            if (revertTo != null) {
                requireIdentifier(problems, "revert", revertTo);
                if (resume) {
                    problems.add("revert and resume: a revert undoes a completed migration, a resume finishes an "
                            + "interrupted one; choose one");
                }
            }
            if (chunkSize != null && (chunkSize < 10 || chunkSize > 100_000)) {
                problems.add("chunkSize: " + chunkSize + " is not in 10..100000");
            }
            if (chunkTime == null || chunkTime.compareTo(Duration.ofMillis(10)) < 0
                    || chunkTime.compareTo(Duration.ofSeconds(10)) > 0) {
                problems.add("chunkTime: " + chunkTime + " is not in 10 ms..10 s");
            }
            if (copyThreads != null && (copyThreads < 1 || copyThreads > 32)) {
                problems.add("copyThreads: " + copyThreads + " is not in 1..32");
            }
            if (dmlBatchSize < 1 || dmlBatchSize > 10_000) {
                problems.add("dmlBatchSize: " + dmlBatchSize + " is not in 1..10000");
            }
            if (replayThreads < 1 || replayThreads > 32) {
                problems.add("replayThreads: " + replayThreads + " is not in 1..32");
            }
            if (replayQueueBytes < 4096) {
                problems.add("replayQueueBytes: " + replayQueueBytes + " is less than 4096");
            }
            if (defaultRetries < 1) {
                problems.add("defaultRetries: " + defaultRetries + " must be at least 1");
            }
            requirePositive(problems, "cutoverLockTimeout", cutoverLockTimeout);
            requirePositive(problems, "exponentialBackoffMaxInterval", exponentialBackoffMaxInterval);
            String oldTableBase = forceTableNames != null ? forceTableNames : table;
            if (timestampOldTable && oldTableBase != null
                    && oldTableBase.length() + "__yyyyMMddHHmmss_del".length() > 64) {
                problems.add("timestampOldTable: `" + oldTableBase + "` is " + oldTableBase.length() + " characters "
                        + "long; the old table's name with a timestamp would exceed MySQL's 64-character limit (at "
                        + "most 44)" + (forceTableNames != null ? "; shorten forceTableNames" : ""));
            }
            requirePositive(problems, "heartbeatInterval", heartbeatInterval);
            requirePositive(problems, "progressInterval", progressInterval);
            if (mysqlTimeout != null && (mysqlTimeout.isNegative() || mysqlTimeout.isZero())) {
                problems.add("mysqlTimeout: " + mysqlTimeout + " must be a positive duration");
            } else if (mysqlTimeout != null && mysqlTimeout.compareTo(Duration.ofMillis(100)) < 0) {
                problems.add("mysqlTimeout: " + mysqlTimeout + " is shorter than 100 ms; no statement would finish");
            }
            if (mysqlWaitTimeout != null && (mysqlWaitTimeout.toSeconds() < 1
                    || mysqlWaitTimeout.toSeconds() > 31_536_000)) {
                problems.add("mysqlWaitTimeout: " + mysqlWaitTimeout + " is not in 1 s..365 days (the server's range "
                        + "for wait_timeout)");
            }
            if (throttlePolicies.contains(null)) {
                problems.add("throttlePolicy: null is not a policy");
            }
            if (approveRenamedColumns && skipRenamedColumns) {
                problems.add("approveRenamedColumns and skipRenamedColumns: choose one");
            }
            if (eventSource == null && EventSources.provider().isEmpty()) {
                problems.add("eventSource: " + EventSources.MISSING);
            }
            if (serveTcpPort < 0 || serveTcpPort > 65_535) {
                problems.add("serveTcpPort: " + serveTcpPort + " is not in 0..65535");
            }
            if (listeners.contains(null)) {
                problems.add("listener: null is not a listener");
            }
            if (binlogPositioning == null) {
                problems.add("binlogPositioning: null; use FILE_OFFSET or GTID");
            }
            if (replicaServerId < 0 || replicaServerId > 4_294_967_295L) {
                problems.add("replicaServerId: " + replicaServerId + " is not in 0..4294967295");
            }
            if (controlReplicas == null) {
                problems.add("throttleControlReplicas: null; use an empty list for none");
            }
            if ((viaReplica || master != null) && (testOnReplica || migrateOnReplica)) {
                problems.add("viaReplica/master and testOnReplica/migrateOnReplica: reading a replica to write on "
                        + "its master excludes working on the replica itself; choose one");
            }
            if (testOnReplica && migrateOnReplica) {
                problems.add("testOnReplica and migrateOnReplica: choose one (--test-on-replica or "
                        + "--migrate-on-replica)");
            }
            if (testOnReplicaSkipReplicaStop && !testOnReplica) {
                problems.add("testOnReplicaSkipReplicaStop: only with testOnReplica (--test-on-replica)");
            }
            if (checkpointInterval == null || checkpointInterval.compareTo(Duration.ofSeconds(1)) < 0) {
                problems.add("checkpointInterval: " + checkpointInterval + " must be at least 1 second");
            }
            if (tls == null) {
                problems.add("tls: null; use Tls.preferred() for the default");
            } else {
                problems.addAll(tls.problems());
            }
            if (attemptInstantDdl && resume) {
                problems.add("attemptInstantDdl and resume: a resume goes on with the interrupted run's ghost table; "
                        + "ALGORITHM=INSTANT is tried by new runs only; choose one");
            }
            if (attemptInstantDdl && revertTo != null) {
                problems.add("attemptInstantDdl and revert: a revert has no ALTER of its own to run; choose one");
            }
            boolean suffixGiven = triggerSuffix != null && !triggerSuffix.isEmpty();
            if (includeTriggers && !suffixGiven) {
                problems.add("triggerSuffix: required with includeTriggers (--trigger-suffix must be used with "
                        + "--include-triggers): the new table's triggers need names other than the old table's, "
                        + "e.g. triggerSuffix(\"_v2\")");
            }
            if (!includeTriggers && suffixGiven) {
                problems.add("triggerSuffix: only with includeTriggers (--trigger-suffix cannot be be used without "
                        + "--include-triggers)");
            }
            if (suffixGiven && !triggerSuffix.matches(TriggerOptions.SUFFIX_PATTERN)) {
                problems.add("triggerSuffix: `" + triggerSuffix + "` must contain only alpha numeric characters and "
                        + "underscore (0-9,a-z,A-Z,_)");
            }
            if (removeTriggerSuffixIfExists && !includeTriggers) {
                problems.add("removeTriggerSuffixIfExists: only with includeTriggers and triggerSuffix");
            }
            if (includeTriggers && cutoverStrategy != null && "rename-under-lock".equals(cutoverStrategy.name())) {
                problems.add("includeTriggers and the rename-under-lock cut-over: it locks the ghost table, on which "
                        + "the triggers are created during the cut-over; use the atomic cut-over (the default)");
            }
            if (includeTriggers && revertTo != null) {
                problems.add("includeTriggers and revert: a revert swaps the old table back with the triggers it "
                        + "kept; leave includeTriggers off");
            }
            if (resume && dryRun) {
                problems.add("resume and dryRun: a dry run creates nothing to resume into; choose one");
            }
            if (!problems.isEmpty()) {
                throw new InvalidSettingsException(problems);
            }
            return new OnlineSchemaChange(new MigrationSettings(
                    server, user, password, new TableName(database, table), alter == null ? "" : alter.trim(),
                    chunkSize == null ? 0 : chunkSize, chunkTime, copyThreads == null ? 0 : copyThreads, dmlBatchSize,
                    defaultRetries, cutoverLockTimeout,
                    okToDropTable, initiallyDropGhostTable, initiallyDropOldTable, exactRowCount, dryRun,
                    approveRenamedColumns, skipRenamedColumns, discardForeignKeys, allowNullableUniqueKey,
                    allowZeroInDate, panicOnWarnings,
                    postponeCutoverFlagFile, serveSocketFile, initiallyDropSocketFile, serveTcpPort, forceNamedPanic,
                    heartbeatInterval, progressInterval, throttlePolicies, listeners,
                    rowCopyStrategy, eventSource, cutoverStrategy, binlogPositioning,
                    new CutoverOptions(cutoverExponentialBackoff, exponentialBackoffMaxInterval,
                            timestampOldTable ? OLD_TABLE_TIMESTAMP.format(Instant.now()) : null,
                            forceNamedCutover, analyzeGhostTableBeforeCutover), checksum, attemptInstantDdl,
                    testOnReplica ? Replication.Mode.TEST_ON_REPLICA
                            : migrateOnReplica ? Replication.Mode.MIGRATE_ON_REPLICA
                            : viaReplica || master != null ? Replication.Mode.VIA_REPLICA : Replication.Mode.ON_MASTER,
                    testOnReplicaSkipReplicaStop, controlReplicas, master,
                    masterUser != null ? masterUser : user, masterPassword != null ? masterPassword : password,
                    new MigrationSettings.Topology(allowMasterMaster, switchToRbr, replicaServerId),
                    new MigrationSettings.Replay(replayThreads, replayQueueBytes), deferSecondaryIndexes,
                    new MigrationSettings.Checkpoints(checkpoint, checkpointInterval, resume, revertTo),
                    ConnectionTimeouts.of(mysqlTimeout, mysqlWaitTimeout), tls,
                    includeTriggers ? new TriggerOptions(true, triggerSuffix, removeTriggerSuffixIfExists)
                            : TriggerOptions.NONE,
                    skipStrictMode, forceTableNames));
        }

        private static void requireIdentifier(List<String> problems, String name, String value) {
            if (value == null || value.isBlank()) {
                problems.add(name + ": a name is required");
            } else if (value.length() > 64) {
                problems.add(name + ": `" + value + "` is longer than MySQL's 64-character limit");
            }
        }

        private static void requirePositive(List<String> problems, String name, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                problems.add(name + ": " + value + " must be a positive duration");
            }
        }
    }

    @Override
    public String toString() {
        return "OnlineSchemaChange[" + settings.table() + ": " + settings.alter() + "]";
    }

}
