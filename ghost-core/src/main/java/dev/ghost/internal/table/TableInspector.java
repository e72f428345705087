package dev.ghost.internal.table;

import dev.ghost.spi.ColumnSchema;
import dev.ghost.spi.TableName;
import dev.ghost.spi.TableSchema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Reads a table's definition from information_schema. */
public final class TableInspector {

    private TableInspector() {
    }

    /** The table's definition, or empty when no such table exists. */
    public static Optional<InspectedTable> inspect(Connection connection, TableName table) throws SQLException {
        String tableType;
        String engine;
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT TABLE_TYPE, ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            statement.setString(1, table.schema());
            statement.setString(2, table.name());
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                tableType = rows.getString(1);
                engine = rows.getString(2);
            }
        }
        return Optional.of(new InspectedTable(new TableSchema(table, columns(connection, table)), tableType, engine,
                uniqueKeys(connection, table)));
    }

    private static List<ColumnSchema> columns(Connection connection, TableName table) throws SQLException {
        List<ColumnSchema> columns = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT COLUMN_NAME, LOWER(DATA_TYPE), COLUMN_TYPE, IS_NULLABLE, CHARACTER_SET_NAME, "
                        + "GENERATION_EXPRESSION, NUMERIC_SCALE, DATETIME_PRECISION "
                        + "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? "
                        + "ORDER BY ORDINAL_POSITION")) {
            statement.setString(1, table.schema());
            statement.setString(2, table.name());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String dataType = rows.getString(2);
                    String generation = rows.getString(6);
                    int fraction = isTemporal(dataType) ? rows.getInt(8) : rows.getInt(7);
                    columns.add(new ColumnSchema(rows.getString(1), columns.size(), dataType, rows.getString(3),
                            "YES".equals(rows.getString(4)), rows.getString(5),
                            generation != null && !generation.isEmpty(), fraction));
                }
            }
        }
        return columns;
    }

    private static boolean isTemporal(String dataType) {
        return switch (dataType) {
            case "time", "datetime", "timestamp" -> true;
            default -> false;
        };
    }

    private static List<UniqueKey> uniqueKeys(Connection connection, TableName table) throws SQLException {
        record Part(String column, boolean nullable, boolean prefix) { }
        Map<String, List<Part>> keys = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT INDEX_NAME, COLUMN_NAME, NULLABLE, SUB_PART FROM information_schema.STATISTICS "
                        + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND NON_UNIQUE = 0 "
                        + "ORDER BY INDEX_NAME = 'PRIMARY' DESC, INDEX_NAME, SEQ_IN_INDEX")) {
            statement.setString(1, table.schema());
            statement.setString(2, table.name());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    keys.computeIfAbsent(rows.getString(1), k -> new ArrayList<>()).add(new Part(rows.getString(2),
                            "YES".equals(rows.getString(3)), rows.getObject(4) != null));
                }
            }
        }
        List<UniqueKey> result = new ArrayList<>();
        keys.forEach((name, parts) -> {
            // A functional index part has no column: such a key cannot be walked by column values.
            if (parts.stream().anyMatch(p -> p.column() == null)) {
                return;
            }
            result.add(new UniqueKey(name, parts.stream().map(Part::column).toList(),
                    parts.stream().anyMatch(Part::nullable), parts.stream().anyMatch(Part::prefix)));
        });
        return result;
    }

    /** EXPLAIN's row estimate, or an exact COUNT(*) when asked (slow on big tables, but exact progress). */
    public static long rowEstimate(Connection connection, TableName table, boolean exact) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            if (exact) {
                try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table.quoted())) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
            try (ResultSet rows = statement.executeQuery("EXPLAIN SELECT * FROM " + table.quoted())) {
                int rowsColumn = -1;
                for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                    if ("rows".equals(rows.getMetaData().getColumnLabel(i).toLowerCase(Locale.ROOT))) {
                        rowsColumn = i;
                    }
                }
                return rowsColumn > 0 && rows.next() ? rows.getLong(rowsColumn) : 0;
            }
        }
    }
}
