package dev.ghost.internal.changelog;

import dev.ghost.spi.ColumnSchema;
import dev.ghost.spi.RowsEvent;
import dev.ghost.spi.TableName;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/**
 * The {@code _<table>_ghc} table. ghost writes a heartbeat row (id 1) every 100 ms and state rows (id 2); reading
 * them back from the binlog measures lag and proves that every earlier event has been applied. Its layout matches
 * gh-ost's, whose operators' throttle queries read {@code last_update}.
 */
public final class Changelog {

    public static final String HEARTBEAT = "heartbeat";
    public static final String STATE = "state";
    /** The state value prefix of a cut-over marker; the rest is a unique token. */
    public static final String MARKER_PREFIX = "AllEventsUpToLockProcessed:";

    private static final int HEARTBEAT_ID = 1;
    private static final int STATE_ID = 2;

    private final TableName table;

    public Changelog(TableName table) {
        this.table = table;
    }

    public TableName table() {
        return table;
    }

    /** Drops a leftover changelog (it holds nothing worth keeping) and creates a fresh one. */
    public void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + table.quoted());
            statement.execute("CREATE TABLE " + table.quoted() + " ("
                    + "id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT, "
                    + "last_update TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), "
                    + "hint VARCHAR(64) CHARACTER SET ascii NOT NULL, "
                    + "value VARCHAR(4096) CHARACTER SET ascii NOT NULL, "
                    + "PRIMARY KEY (id), UNIQUE KEY hint_uidx (hint)"
                    + ") ENGINE=InnoDB AUTO_INCREMENT=256 COMMENT='ghost changelog'");
        }
    }

    public void drop(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + table.quoted());
        }
    }

    public void writeHeartbeat(Connection connection, long epochMillis) throws SQLException {
        write(connection, HEARTBEAT_ID, HEARTBEAT, Long.toString(epochMillis));
    }

    public void writeState(Connection connection, String value) throws SQLException {
        write(connection, STATE_ID, STATE, value);
    }

    private void write(Connection connection, int id, String hint, String value) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + table.quoted()
                + " (id, hint, value) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE last_update = NOW(6), "
                + "value = VALUES(value)")) {
            statement.setInt(1, id);
            statement.setString(2, hint);
            statement.setString(3, value);
            statement.executeUpdate();
        }
    }

    /** A changelog row as the binlog delivered it. */
    public record Entry(String hint, String value) {
    }

    /** Reads the entries written by an insert or update of the changelog (deletes carry none). */
    public static List<Entry> entries(RowsEvent event, List<ColumnSchema> columns) {
        if (event.kind() == RowsEvent.Kind.DELETE) {
            return List.of();
        }
        int hint = indexOf(columns, "hint");
        int value = indexOf(columns, "value");
        return event.after().stream().map(row -> new Entry(text(row[hint]), text(row[value]))).toList();
    }

    public static Optional<String> markerToken(Entry entry) {
        if (STATE.equals(entry.hint()) && entry.value().startsWith(MARKER_PREFIX)) {
            return Optional.of(entry.value().substring(MARKER_PREFIX.length()));
        }
        return Optional.empty();
    }

    private static int indexOf(List<ColumnSchema> columns, String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("changelog has no column " + name)).index();
    }

    private static String text(Object value) {
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.US_ASCII);
        }
        return value == null ? "" : value.toString();
    }
}
