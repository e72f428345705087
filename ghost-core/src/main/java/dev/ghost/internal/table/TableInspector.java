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
                        + "GENERATION_EXPRESSION, NUMERIC_SCALE, DATETIME_PRECISION, COLLATION_NAME "
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
                            generation != null && !generation.isEmpty(), fraction, rows.getString(9)));
                }
            }
        }
        return withExactLabels(connection, table, columns);
    }

    /**
     * information_schema holds column types in utf8mb3 (so does SHOW CREATE TABLE on MariaDB): an ENUM or SET label
     * with a 4-byte character (an emoji) comes out as '?', and the binlog's label indexes would then be replayed as
     * the wrong label. Where a label may have been mangled, the server itself names each one: a temporary table with
     * the same column takes every index and gives back its label.
     */
    private static List<ColumnSchema> withExactLabels(Connection connection, TableName table,
                                                      List<ColumnSchema> columns) throws SQLException {
        List<ColumnSchema> exact = new ArrayList<>(columns.size());
        for (ColumnSchema column : columns) {
            boolean labelled = "enum".equals(column.dataType()) || "set".equals(column.dataType());
            exact.add(labelled && column.columnType().contains("?") ? withServerLabels(connection, table, column)
                    : column);
        }
        return exact;
    }

    private static ColumnSchema withServerLabels(Connection connection, TableName table, ColumnSchema column)
            throws SQLException {
        boolean isSet = "set".equals(column.dataType());
        int count = labelCount(column.columnType());
        String scratch = quote("_ghost_labels_" + Long.toHexString(System.nanoTime()));
        String name = quote(column.name());
        List<String> labels = new ArrayList<>(count);
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TEMPORARY TABLE " + scratch + " SELECT " + name + " AS v FROM "
                    + quote(table.schema()) + "." + quote(table.name()) + " LIMIT 0");
            try {
                StringBuilder insert = new StringBuilder("INSERT INTO " + scratch + " (v) VALUES ");
                for (int i = 0; i < count; i++) {
                    insert.append(i == 0 ? "" : ", ").append('(').append(isSet ? 1L << i : i + 1).append(')');
                }
                statement.execute(insert.toString());
                try (ResultSet rows = statement.executeQuery("SELECT CONVERT(v USING utf8mb4) FROM " + scratch
                        + " ORDER BY v + 0")) {
                    while (rows.next()) {
                        labels.add(rows.getString(1));
                    }
                }
            } finally {
                statement.execute("DROP TEMPORARY TABLE IF EXISTS " + scratch);
            }
        }
        StringBuilder type = new StringBuilder(column.dataType()).append('(');
        for (int i = 0; i < labels.size(); i++) {
            type.append(i == 0 ? "'" : ",'").append(labels.get(i).replace("\\", "\\\\").replace("'", "''"))
                    .append('\'');
        }
        String columnType = type.append(')').toString();
        return new ColumnSchema(column.name(), column.index(), column.dataType(), columnType, column.nullable(),
                column.charset(), column.generated(), column.fractionDigits(), column.collation());
    }

    private static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    /** How many quoted labels an {@code enum(...)} or {@code set(...)} type lists. */
    public static int labelCount(String columnType) {
        int count = 0;
        boolean quoted = false;
        for (int i = columnType.indexOf('(') + 1; i > 0 && i < columnType.length(); i++) {
            char c = columnType.charAt(i);
            if (quoted && c == '\\') {
                i++; // an escaped character
            } else if (c == '\'') {
                if (quoted && i + 1 < columnType.length() && columnType.charAt(i + 1) == '\'') {
                    i++; // a doubled quote inside a label
                } else {
                    quoted = !quoted;
                    count += quoted ? 1 : 0;
                }
            } else if (!quoted && c == ')') {
                break;
            }
        }
        return count;
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
