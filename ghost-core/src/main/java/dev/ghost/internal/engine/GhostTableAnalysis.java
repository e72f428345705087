package dev.ghost.internal.engine;

import dev.ghost.MigrationFailedException;
import dev.ghost.internal.sql.ServerConnections;
import dev.ghost.spi.TableName;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * gh-ost's {@code --analyze-ghost-table-before-cutover}: {@code ANALYZE TABLE} on the ghost table right before the
 * cut-over, so that the new table does not start serving with the statistics of the empty table it was created as
 * (the optimizer may then cost a full scan as free). It runs after the catch-up, the checksum and any postponement,
 * before the cut-over locks anything; a failed ANALYZE stops the migration, with the original table in place.
 */
final class GhostTableAnalysis {

    private static final Logger log = LoggerFactory.getLogger(GhostTableAnalysis.class);

    /** One row of ANALYZE TABLE's result: {@code Msg_type} (status, error, note, warning...) and {@code Msg_text}. */
    record ResultRow(String msgType, String msgText) {
    }

    private final MigrationSettings settings;
    private final ServerConnections connections;
    private final ChangeStream stream;

    GhostTableAnalysis(MigrationSettings settings, ServerConnections connections, ChangeStream stream) {
        this.settings = settings;
        this.connections = connections;
        this.stream = stream;
    }

    /** The statement, as it reaches the binlog (the stream lets exactly this text pass once). */
    static String statement(TableName ghost) {
        return "ANALYZE TABLE " + ghost.quoted();
    }

    /**
     * Why an ANALYZE's result is not a success, or empty when it is. The server reports most failures (a missing
     * table, a lock it could not get, an engine error) as rows with {@code Msg_type = error}, not as an error of the
     * statement, so the rows decide. Fail closed: success needs a {@code status OK} row and no error row.
     */
    static Optional<String> failure(List<ResultRow> rows) {
        List<String> errors = new ArrayList<>();
        boolean ok = false;
        for (ResultRow row : rows) {
            String type = row.msgType() == null ? "" : row.msgType().toLowerCase(Locale.ROOT);
            if (type.equals("error")) {
                errors.add(row.msgText());
            } else if (type.equals("status") && "OK".equalsIgnoreCase(row.msgText())) {
                ok = true;
            }
        }
        if (!errors.isEmpty()) {
            return Optional.of(String.join("; ", errors));
        }
        if (!ok) {
            return Optional.of(rows.isEmpty() ? "it returned no result" : "it reported no status OK, only: "
                    + String.join("; ", rows.stream().map(r -> r.msgType() + " " + r.msgText()).toList()));
        }
        return Optional.empty();
    }

    /**
     * Runs the ANALYZE; it replicates, as gh-ost's does, so the replicas' copies get fresh statistics too.
     *
     * @throws MigrationFailedException when it fails: the cut-over is not attempted
     */
    void run() throws SQLException {
        TableName ghost = settings.ghostTable();
        String sql = statement(ghost);
        long waitSeconds = InstantDdl.lockWaitSeconds(settings.cutoverLockTimeout());
        log.info("Running ANALYZE TABLE on ghost table {} before cut-over", ghost);
        long started = System.nanoTime();
        List<ResultRow> rows = new ArrayList<>();
        stream.expectStatement(sql); // ghost's own statement on the ghost table, not a stranger's
        try (Connection connection = connections.open(); Statement statement = connection.createStatement()) {
            // Nobody but ghost uses the ghost table: a session holding it this long is a stranger, not a queue.
            statement.execute("SET SESSION lock_wait_timeout = " + waitSeconds);
            try (ResultSet result = statement.executeQuery(sql)) {
                while (result.next()) {
                    rows.add(new ResultRow(result.getString("Msg_type"), result.getString("Msg_text")));
                }
            }
        } catch (SQLException e) {
            throw refusal(ghost, e.getMessage(), e);
        }
        Optional<String> failure = failure(rows);
        if (failure.isPresent()) {
            throw refusal(ghost, failure.get(), null);
        }
        log.info("ANALYZE TABLE on ghost table {} completed in {}", ghost,
                GoDuration.format(java.time.Duration.ofNanos(System.nanoTime() - started)));
    }

    private MigrationFailedException refusal(TableName ghost, String why, Throwable cause) {
        return new MigrationFailedException("ANALYZE TABLE on ghost table " + ghost.quoted() + " failed ("
                + why + "); refusing the cut-over of " + settings.table().quoted() + ", whose original table is in "
                + "place and unchanged. Find what holds or breaks the ghost table, or run without "
                + "--analyze-ghost-table-before-cutover (analyzeGhostTableBeforeCutover)", cause, List.of());
    }
}
