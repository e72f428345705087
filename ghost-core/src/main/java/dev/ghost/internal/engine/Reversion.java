package dev.ghost.internal.engine;

import dev.ghost.PreflightCheckException;
import dev.ghost.internal.alter.AlterAnalysis;
import dev.ghost.internal.checkpoint.Checkpoint;
import dev.ghost.internal.checkpoint.CheckpointTable;
import dev.ghost.internal.sql.ServerConnections;
import dev.ghost.internal.sql.Sql;
import dev.ghost.spi.TableName;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a revert starts from: the cut-over checkpoint of a completed migration, proven to still describe the tables.
 * The old table reads as the original did before that migration and the table reads as the migration made it, both
 * apart from their names and counters; the binlog since the cut-over is still there. The migration's ALTER, read
 * from the checkpoint, gives the columns it renamed, which the revert maps back. Anything else is a refusal that
 * changes nothing.
 */
final class Reversion {

    private static final Pattern FIRST_LINE_NAME = Pattern.compile("\\A(CREATE TABLE )`(?:[^`]|``)+`");
    private static final Pattern AUTO_INCREMENT = Pattern.compile(" AUTO_INCREMENT=\\d+");

    private final Checkpoint cutover;
    private final AlterAnalysis reverse;

    private Reversion(Checkpoint cutover, AlterAnalysis reverse) {
        this.cutover = cutover;
        this.reverse = reverse;
    }

    /** The migration's cut-over checkpoint: its position is where the writes to bring back begin. */
    Checkpoint cutover() {
        return cutover;
    }

    /**
     * The migration's ALTER seen backwards, as far as copying rows goes: renamed columns map back to their old names,
     * and a column the migration dropped is not filled from a new column of the same name.
     */
    AlterAnalysis reverseAlter() {
        return reverse;
    }

    static Reversion load(MigrationSettings settings, ServerConnections connections, ServerConnections reading)
            throws SQLException {
        TableName table = settings.table();
        TableName old = settings.ghostTable();
        CheckpointTable checkpoints = new CheckpointTable(settings.checkpointTable());
        try (Connection connection = connections.open()) {
            String hint = " The migration must have run with --checkpoint (checkpoint(true)) and completed its "
                    + "cut-over, and its checkpoint table must be kept";
            if (!checkpoints.exists(connection)) {
                throw refusal(settings, "there is no checkpoint table " + checkpoints.table().quoted() + "." + hint);
            }
            Checkpoint last = checkpoints.readLastCutover(connection).orElseThrow(() -> refusal(settings,
                    checkpoints.table().quoted() + " holds no cut-over checkpoint." + hint));
            if (last.format() != CheckpointTable.FORMAT) {
                throw refusal(settings, "its cut-over checkpoint was written by ghost " + last.ghostVersion()
                        + " in format " + last.format() + ", which this version cannot read");
            }
            if (!Sql.tableExists(connection, old)) {
                throw refusal(settings, "the old table " + old.quoted() + " does not exist: it was dropped, or "
                        + "named otherwise (--old-table)");
            }
            String oldNow = DeferredIndexes.showCreateTable(connection, old);
            if (!sameDefinition(oldNow, last.originalCreate())) {
                throw refusal(settings, "the old table " + old.quoted() + " does not read as " + table.quoted()
                        + " did before the migration. Then:\n" + last.originalCreate() + "\nnow:\n" + oldNow);
            }
            String tableNow = DeferredIndexes.showCreateTable(connection, table);
            if (!sameDefinition(tableNow, last.ghostCreate())) {
                throw refusal(settings, table.quoted() + " no longer reads as the migration made it (it changed "
                        + "since). Then:\n" + last.ghostCreate() + "\nnow:\n" + tableNow);
            }
            if (!last.hasGtids()) {
                try (Connection binlogServer = reading.open()) {
                    if (!Resumption.binlogFileKept(binlogServer, last.position())) {
                        throw refusal(settings, "the binlog since the cut-over (" + last.position() + ") is no "
                                + "longer on " + settings.server() + ": the writes made since cannot be brought back");
                    }
                }
            }
            AlterAnalysis forward = AlterAnalysis.of(last.alter());
            Map<String, String> back = new LinkedHashMap<>();
            forward.renamedColumns().forEach((from, to) -> back.put(to, from));
            // A column dropped and added again under its name is a new column: its values are not the old ones.
            return new Reversion(last, new AlterAnalysis("", false, back, forward.droppedColumns(), false));
        }
    }

    /** Whether two definitions read alike, their table names and AUTO_INCREMENT counters apart. */
    static boolean sameDefinition(String one, String other) {
        return normalized(one).equals(normalized(other));
    }

    private static String normalized(String createTable) {
        return AUTO_INCREMENT.matcher(FIRST_LINE_NAME.matcher(createTable).replaceFirst("$1`?`")).replaceAll("");
    }

    static PreflightCheckException refusal(MigrationSettings settings, String why) {
        return new PreflightCheckException("revert", settings.table().toString(), "cannot revert the migration of "
                + settings.table().quoted() + ": " + why + ". Nothing was changed");
    }
}
