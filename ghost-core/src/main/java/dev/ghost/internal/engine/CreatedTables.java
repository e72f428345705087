package dev.ghost.internal.engine;

import dev.ghost.internal.sql.ServerConnections;
import dev.ghost.spi.TableName;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The tables a migration created and still answers for: a failure drops them, a panic leaves them for inspection,
 * and the cut-over hands the ghost table over (it is the table then). Used by the migration thread only.
 */
final class CreatedTables {

    private final ServerConnections connections;
    private final List<TableName> tables = new ArrayList<>();

    CreatedTables(ServerConnections connections) {
        this.connections = connections;
    }

    /** Called before the table is created, so that a failure half-way still drops it. */
    void add(TableName table) {
        tables.add(table);
    }

    /** The table is no longer this migration's to drop. */
    void remove(TableName table) {
        tables.remove(table);
    }

    List<String> names() {
        return tables.stream().map(TableName::toString).toList();
    }

    /** Drops what this migration created; returns the names of tables it could not drop. */
    List<String> dropAll() {
        List<String> remaining = new ArrayList<>();
        if (tables.isEmpty()) {
            return remaining;
        }
        try (Connection connection = connections.open()) {
            for (TableName table : tables) {
                try {
                    execute(connection, "DROP TABLE IF EXISTS " + table.quoted());
                } catch (SQLException e) {
                    remaining.add(table.toString());
                }
            }
        } catch (SQLException e) {
            tables.forEach(t -> remaining.add(t.toString()));
        }
        tables.clear();
        return remaining;
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
