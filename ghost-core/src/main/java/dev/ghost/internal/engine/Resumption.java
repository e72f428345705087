package dev.ghost.internal.engine;

import dev.ghost.PreflightCheckException;
import dev.ghost.internal.checkpoint.Checkpoint;
import dev.ghost.internal.checkpoint.CheckpointTable;
import dev.ghost.internal.sql.ServerConnections;
import dev.ghost.internal.sql.Sql;
import dev.ghost.spi.BinlogPosition;
import dev.ghost.spi.TableName;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * The last checkpoint of an interrupted run, proven to still describe the tables before anything is touched: the
 * ALTER and the original's definition are the ones it was taken under, the ghost table reads as that run made it
 * (before or after its deferred indexes were built), the changelog is there, and, when the stream is to start by file
 * and offset, the binlog file still is. Anything else is a refusal that changes nothing: the tables stay for another
 * try or for the operator to drop.
 */
final class Resumption {

    private static final Logger log = LoggerFactory.getLogger(Resumption.class);

    private final Checkpoint checkpoint;
    private final DeferredIndexes deferred;
    private final Optional<String> builtSinceCheckpoint;

    private Resumption(Checkpoint checkpoint, DeferredIndexes deferred, Optional<String> builtSinceCheckpoint) {
        this.checkpoint = checkpoint;
        this.deferred = deferred;
        this.builtSinceCheckpoint = builtSinceCheckpoint;
    }

    Checkpoint checkpoint() {
        return checkpoint;
    }

    /** The indexes still to be built after the copy. */
    DeferredIndexes deferred() {
        return deferred;
    }

    /**
     * The interrupted run's build of the deferred indexes, which may lie after the checkpoint's position in the
     * binlog: the replay must let it pass instead of stopping at a statement on the ghost table.
     */
    Optional<String> builtSinceCheckpoint() {
        return builtSinceCheckpoint;
    }

    /**
     * @param connections the server ghost writes on (its tables)
     * @param reading     the server whose binlog is read (its binlog files)
     */
    static Resumption load(MigrationSettings settings, ServerConnections connections, ServerConnections reading)
            throws SQLException {
        TableName table = settings.table();
        CheckpointTable checkpoints = new CheckpointTable(settings.checkpointTable());
        try (Connection connection = connections.open()) {
            if (!checkpoints.exists(connection)) {
                throw refusal(settings, "there is no checkpoint table " + checkpoints.table().quoted() + ". The "
                        + "interrupted run must have been started with --checkpoint (checkpoint(true)) and have "
                        + "written a checkpoint. Start over without --resume, with --initially-drop-ghost-table");
            }
            Checkpoint last = checkpoints.readLast(connection).orElseThrow(() -> refusal(settings, "the "
                    + "checkpoint table " + checkpoints.table().quoted() + " holds no checkpoint: the interrupted run "
                    + "stopped before its first one. Start over without --resume, with --initially-drop-ghost-table"));
            if (last.cutover()) {
                throw refusal(settings, "that migration completed its cut-over (checkpoint " + last.id() + " at "
                        + last.writtenAt() + "): there is nothing to resume. To undo it, run with --revert "
                        + "--old-table=<its old table> (revert(oldTable))");
            }
            if (last.format() != CheckpointTable.FORMAT) {
                throw refusal(settings, "its checkpoint was written by ghost " + last.ghostVersion() + " in format "
                        + last.format() + ", which this version (format " + CheckpointTable.FORMAT + ") cannot "
                        + "resume from. Finish it with that version, or start over without --resume");
            }
            if (!last.alter().trim().equals(settings.alter().trim())) {
                throw refusal(settings, "the ALTER differs from the interrupted run's. Checkpoint: \"" + last.alter()
                        + "\"; now: \"" + settings.alter() + "\". Resume with the same --alter, or start over "
                        + "without --resume");
            }
            String original = DeferredIndexes.showCreateTable(connection, table);
            if (!DeferredIndexes.sameDefinition(original, last.originalCreate())) {
                throw refusal(settings, "the table's definition changed since the checkpoint was written. Then:\n"
                        + last.originalCreate() + "\nnow:\n" + original + "\nStart over without --resume");
            }
            if (!Sql.tableExists(connection, settings.ghostTable())) {
                throw refusal(settings, "its ghost table " + settings.ghostTable().quoted() + " is gone. Start over "
                        + "without --resume");
            }
            String ghost = DeferredIndexes.showCreateTable(connection, settings.ghostTable());
            boolean complete = DeferredIndexes.sameDefinition(ghost, last.ghostCreate());
            boolean copying = DeferredIndexes.sameDefinition(ghost, last.ghostCopying());
            if (!complete && !copying) {
                throw refusal(settings, "its ghost table " + settings.ghostTable().quoted() + " no longer reads as "
                        + "the interrupted run made it. Expected:\n" + last.ghostCreate() + "\nfound:\n" + ghost
                        + "\nStart over without --resume, with --initially-drop-ghost-table");
            }
            if (!Sql.tableExists(connection, settings.changelogTable())) {
                throw refusal(settings, "its changelog table " + settings.changelogTable().quoted() + " is gone. "
                        + "Start over without --resume, with --initially-drop-ghost-table");
            }
            if (!last.hasGtids()) {
                try (Connection binlogServer = reading.open()) {
                    if (!binlogFileKept(binlogServer, last.position())) {
                        throw refusal(settings, "the binlog at its checkpoint's position " + last.position()
                                + " is no longer on " + settings.server() + " (purged). The events since then cannot "
                                + "be replayed; start over without --resume, with --initially-drop-ghost-table, and "
                                + "keep binlogs for longer than a migration takes");
                    }
                }
            }
            if (!String.valueOf(last.ghostVersion()).equals(CheckpointWriter.GHOST_VERSION)) {
                log.info("the checkpoint of {} was written by ghost {}; this is {}", table, last.ghostVersion(),
                        CheckpointWriter.GHOST_VERSION);
            }
            DeferredIndexes resumed = DeferredIndexes.resumed(settings.ghostTable(), last.ghostCreate(),
                    last.ghostCopying());
            if (complete && !resumed.isEmpty()) {
                // Built before the interruption: nothing left to build, but the build may come through the stream.
                return new Resumption(last, DeferredIndexes.NONE, Optional.of(resumed.addStatement()));
            }
            return new Resumption(last, resumed, Optional.empty());
        }
    }

    /** Whether the binlog file of {@code position} is still on the server {@code connection} is to. */
    static boolean binlogFileKept(Connection connection, BinlogPosition position) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet logs = statement.executeQuery("SHOW BINARY LOGS")) {
            while (logs.next()) {
                if (logs.getString(1).equals(position.file())) {
                    return true;
                }
            }
        }
        return false;
    }

    static PreflightCheckException refusal(MigrationSettings settings, String why) {
        return new PreflightCheckException("resume", settings.table().toString(), "cannot resume the migration of "
                + settings.table().quoted() + ": " + why + ". Nothing was changed");
    }
}
