package dev.ghost.internal.engine;

import dev.ghost.BinlogPositioning;
import dev.ghost.ServerAddress;
import dev.ghost.Tls;
import dev.ghost.event.MigrationListener;
import dev.ghost.internal.check.Replication;
import dev.ghost.internal.cutover.AtomicCutover;
import dev.ghost.internal.sql.ConnectionTimeouts;
import dev.ghost.internal.trigger.TriggerOptions;
import dev.ghost.spi.CutoverStrategy;
import dev.ghost.spi.EventSource;
import dev.ghost.spi.RowCopyStrategy;
import dev.ghost.spi.TableName;
import dev.ghost.spi.ThrottlePolicy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Every setting of one migration, validated and sealed by the builder. {@code replicaMode} says whether the server
 * is, or must not be, a replica; {@code keepReplicating} is --test-on-replica-skip-replica-stop; {@code master} (null:
 * found through the replica) with its credentials is where a migration reading a replica writes; {@code topology}
 * holds gh-ost's other replication flags; {@code chunkSize} is 0 when the chunk size adapts to {@code chunkTime},
 * {@code copyThreads} 0 when chosen by the server's cores; {@code triggers} whether and under which names the
 * original's triggers are recreated on the new table; {@code timeouts} are the connections' (per role), {@code tls}
 * how every connection uses TLS, the binlog stream's and the control replicas' included;
 * {@code attemptInstantDdl} runs the ALTER on the original with ALGORITHM=INSTANT first (see {@link InstantDdl});
 * {@code skipStrictMode} leaves the copy's and the replay's sessions at the server's sql_mode instead of adding
 * STRICT_ALL_TABLES (--skip-strict-mode); {@code forceTableNames} (null: the table's own name) is the base of the
 * helper tables' names (--force-table-names), see {@link #tableNameBase()}.
 * Components read the parts they need; the few settings that may change at run time live in {@link LiveSettings},
 * not here.
 */
public record MigrationSettings(
        ServerAddress server, String user, String password,
        TableName table, String alter,
        int chunkSize, Duration chunkTime, int copyThreads, int dmlBatchSize, int defaultRetries,
        Duration cutoverLockTimeout,
        boolean okToDropTable, boolean initiallyDropGhostTable, boolean initiallyDropOldTable,
        boolean exactRowCount, boolean dryRun,
        boolean approveRenamedColumns, boolean skipRenamedColumns, boolean discardForeignKeys,
        boolean allowNullableUniqueKey, boolean allowZeroInDate, Boolean panicOnWarnings,
        Path postponeCutoverFlagFile, Path serveSocketFile, boolean initiallyDropSocketFile, int serveTcpPort,
        boolean forceNamedPanic,
        Duration heartbeatInterval, Duration progressInterval,
        List<ThrottlePolicy> throttlePolicies, List<MigrationListener> listeners,
        RowCopyStrategy rowCopyStrategy, EventSource eventSource, CutoverStrategy cutoverStrategy,
        BinlogPositioning binlogPositioning, CutoverOptions cutover, boolean checksum, boolean attemptInstantDdl,
        Replication.Mode replicaMode, boolean keepReplicating, List<ServerAddress> controlReplicas,
        ServerAddress master, String masterUser, String masterPassword, Topology topology, Replay replay,
        Boolean deferSecondaryIndexes, Checkpoints checkpoints, ConnectionTimeouts timeouts, Tls tls,
        TriggerOptions triggers, boolean skipStrictMode, String forceTableNames) {

    public MigrationSettings {
        throttlePolicies = List.copyOf(throttlePolicies);
        listeners = List.copyOf(listeners);
        controlReplicas = List.copyOf(controlReplicas);
    }

    /**
     * gh-ost's remaining replication flags.
     *
     * @param allowMasterMaster the server ghost writes on may replicate from another master (--allow-master-master)
     * @param switchToRbr       set binlog_format=ROW on the replica ghost reads and restart its replication
     *                          (--switch-to-rbr); the setting stays
     * @param binlogServerId    the server id ghost's binlog reader uses (--replica-server-id); 0: a random one
     */
    public record Topology(boolean allowMasterMaster, boolean switchToRbr, long binlogServerId) {
        public static final Topology DEFAULTS = new Topology(false, false, 0);
    }

    /**
     * How the binlog is applied.
     *
     * @param threads    connections that apply a round's partitions at once
     * @param queueBytes the bound of the queue of changed keys, in estimated bytes
     */
    public record Replay(int threads, long queueBytes) {
    }

    /**
     * gh-ost's checkpoints and resume.
     *
     * @param enabled  write a checkpoint every {@code interval} (--checkpoint)
     * @param interval time between checkpoints (--checkpoint-seconds)
     * @param resume   go on from the last checkpoint of an interrupted run (--resume); checkpoints go on too
     * @param revertTo the old table of a completed migration to bring up to date and swap back (--revert
     *                 --old-table); null when not reverting
     */
    public record Checkpoints(boolean enabled, Duration interval, boolean resume, String revertTo) {
        public static final Checkpoints NONE = new Checkpoints(false, Duration.ofMinutes(5), false, null);

        /** Whether this run writes checkpoints (a revert writes none: it has nothing to copy). */
        public boolean written() {
            return (enabled || resume) && revertTo == null;
        }

        public boolean reverting() {
            return revertTo != null;
        }
    }

    /**
     * What the helper tables are named after: the table's name, or {@code --force-table-names} (gh-ost's way to keep
     * the helper tables' names short or predictable).
     */
    public String tableNameBase() {
        return forceTableNames == null ? table.name() : forceTableNames;
    }

    /** gh-ost's {@code _<table>_ghk}: the checkpoints. */
    public TableName checkpointTable() {
        return table.sibling("_" + tableNameBase() + "_ghk");
    }

    /** The table being filled: {@code _<table>_gho}; when reverting, the old table being brought up to date. */
    public TableName ghostTable() {
        return checkpoints.reverting() ? table.sibling(checkpoints.revertTo())
                : table.sibling("_" + tableNameBase() + "_gho");
    }

    public TableName changelogTable() {
        return table.sibling("_" + tableNameBase() + "_ghc");
    }

    /**
     * The atomic cut-over's sentry ({@code t_gcs}); after a crash between its renames, the old table. Always named
     * after the table itself, even with --force-table-names: its name must sort after the table's (see
     * {@link AtomicCutover}).
     */
    public TableName sentryTable() {
        return AtomicCutover.sentryFor(table);
    }

    /**
     * Where the cut-over puts the table it replaces: {@code _<table>_del}; when reverting, {@code _<table>_rev} (the
     * migrated table, set aside: {@code _<table>_del} is the one coming back).
     */
    public TableName oldTable() {
        String timestamp = cutover.oldTableTimestamp() == null ? "" : "_" + cutover.oldTableTimestamp();
        return table.sibling("_" + tableNameBase() + timestamp + (checkpoints.reverting() ? "_rev" : "_del"));
    }
}
