package dev.ghost.testkit.internal;

import dev.ghost.spi.TableName;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the kit needs to know of a table, read from information_schema: its columns and its unique keys.
 *
 * @param schema     the schema
 * @param name       the table
 * @param columns    the columns in table order
 * @param uniqueKeys the unique keys, the primary key first, each as its column names in key order
 */
public record TableShape(String schema, String name, List<Column> columns, List<UniqueKey> uniqueKeys) {

    /**
     * One column.
     *
     * @param name          its name
     * @param dataType      information_schema's DATA_TYPE, lower case ({@code int}, {@code varchar}, ...)
     * @param columnType    information_schema's COLUMN_TYPE ({@code int(10) unsigned}, {@code enum('a','b')})
     * @param nullable      whether it takes NULL
     * @param hasDefault    whether an INSERT may leave it out (a default, an AUTO_INCREMENT, or NULL)
     * @param autoIncrement whether it is the AUTO_INCREMENT column
     * @param generated     whether the server computes it (VIRTUAL or STORED): never written
     * @param charMaxLength the length limit in characters of a text column, or -1
     * @param octetMaxLength the length limit in bytes of a text or binary column, or -1
     * @param precision     the digits of a DECIMAL (or FLOAT(M,D)), or -1
     * @param scale         the digits after the point of a DECIMAL (or FLOAT(M,D)), or -1
     * @param fractionDigits the fractional second digits of a temporal column, 0..6
     * @param charset       the character set of a text column, or null
     * @param json          a JSON column: MySQL's JSON type, or MariaDB's LONGTEXT with a JSON_VALID check
     */
    public record Column(String name, String dataType, String columnType, boolean nullable, boolean hasDefault,
                         boolean autoIncrement, boolean generated, long charMaxLength, long octetMaxLength,
                         int precision, int scale, int fractionDigits, String charset, boolean json) {

        /** Backquoted name. */
        String quoted() {
            return TableName.quote(name);
        }

        /** {@code unsigned} integers and decimals. */
        boolean unsigned() {
            return columnType.toLowerCase(Locale.ROOT).contains("unsigned");
        }

        /** Text-like types, compared byte for byte through HEX(). */
        boolean comparedAsBytes() {
            return !(ValueGenerator.isInteger(dataType) || ValueGenerator.isNumeric(dataType)
                    || ValueGenerator.isTemporal(dataType));
        }
    }

    /**
     * A unique key.
     *
     * @param name    the index name ({@code PRIMARY} for the primary key)
     * @param columns its columns in key order
     * @param nullable whether any of its columns takes NULL
     */
    public record UniqueKey(String name, List<String> columns, boolean nullable) {
    }

    /**
     * Reads the shape of a table.
     *
     * @param connection a connection to the server
     * @param schema     the schema
     * @param table      the table
     * @return its shape
     * @throws SQLException             when information_schema cannot be read
     * @throws IllegalArgumentException when the table does not exist; the message names it
     */
    public static TableShape read(Connection connection, String schema, String table) throws SQLException {
        Set<String> jsonChecked = jsonCheckedColumns(connection, schema, table);
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, "
                + "IS_NULLABLE, COLUMN_DEFAULT, EXTRA, GENERATION_EXPRESSION, CHARACTER_MAXIMUM_LENGTH, "
                + "CHARACTER_OCTET_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION, CHARACTER_SET_NAME "
                + "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? "
                + "ORDER BY ORDINAL_POSITION")) {
            statement.setString(1, schema);
            statement.setString(2, table);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String name = rows.getString(1);
                    String dataType = rows.getString(2).toLowerCase(Locale.ROOT);
                    String extra = String.valueOf(rows.getString(6)).toLowerCase(Locale.ROOT);
                    String expression = rows.getString(7);
                    boolean nullable = "YES".equals(rows.getString(4));
                    boolean autoIncrement = extra.contains("auto_increment");
                    boolean generated = expression != null && !expression.isEmpty()
                            && !extra.contains("default_generated");
                    boolean hasDefault = rows.getString(5) != null || nullable || autoIncrement || generated;
                    columns.add(new Column(name, dataType, rows.getString(3), nullable, hasDefault, autoIncrement,
                            generated, longOr(rows, 8), longOr(rows, 9), (int) longOr(rows, 10),
                            (int) longOr(rows, 11), Math.max(0, (int) longOr(rows, 12)), rows.getString(13),
                            dataType.equals("json") || jsonChecked.contains(name)));
                }
            }
        }
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("table `" + table + "` not found in schema `" + schema
                    + "`: create it first, e.g. with lab.execute(\"CREATE TABLE " + table + " (...)\")");
        }
        return new TableShape(schema, table, List.copyOf(columns), uniqueKeys(connection, schema, table, columns));
    }

    private static long longOr(ResultSet rows, int index) throws SQLException {
        long value = rows.getLong(index);
        return rows.wasNull() ? -1 : value;
    }

    private static List<UniqueKey> uniqueKeys(Connection connection, String schema, String table,
                                              List<Column> columns) throws SQLException {
        Map<String, Boolean> nullable = columns.stream().collect(Collectors.toMap(Column::name, Column::nullable));
        Map<String, List<String>> keys = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT INDEX_NAME, COLUMN_NAME "
                + "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND NON_UNIQUE = 0 "
                + "ORDER BY INDEX_NAME <> 'PRIMARY', INDEX_NAME, SEQ_IN_INDEX")) {
            statement.setString(1, schema);
            statement.setString(2, table);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    keys.computeIfAbsent(rows.getString(1), k -> new ArrayList<>()).add(rows.getString(2));
                }
            }
        }
        List<UniqueKey> result = new ArrayList<>();
        // A unique key over an expression has a NULL column name here (MySQL 8's functional parts): not usable.
        keys.forEach((name, keyColumns) -> {
            if (!keyColumns.contains(null)) {
                result.add(new UniqueKey(name, List.copyOf(keyColumns),
                        keyColumns.stream().anyMatch(c -> nullable.getOrDefault(c, true))));
            }
        });
        return List.copyOf(result);
    }

    /**
     * MariaDB's JSON is LONGTEXT with a {@code JSON_VALID(col)} check: the writers must write JSON there too. MySQL
     * has no such table column in CHECK_CONSTRAINTS (and a JSON type of its own), so a failure here means none.
     */
    private static Set<String> jsonCheckedColumns(Connection connection, String schema, String table) {
        Set<String> columns = new java.util.HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT CHECK_CLAUSE "
                + "FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?")) {
            statement.setString(1, schema);
            statement.setString(2, table);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String clause = rows.getString(1);
                    java.util.regex.Matcher matcher = java.util.regex.Pattern
                            .compile("(?i)json_valid\\(`((?:[^`]|``)+)`\\)").matcher(clause);
                    if (matcher.find()) {
                        columns.add(matcher.group(1).replace("``", "`"));
                    }
                }
            }
        } catch (SQLException notMariaDb) {
            // MySQL: its JSON columns say so in DATA_TYPE
        }
        return columns;
    }

    /** The column of this name. */
    Optional<Column> column(String name) {
        return columns.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst();
    }

    /** Backquoted {@code `schema`.`table`}. */
    String quoted() {
        return new TableName(schema, name).quoted();
    }

    /**
     * The key the writers address rows by: the primary key, else the first unique key without nullable columns,
     * else the first unique key.
     */
    Optional<UniqueKey> rowKey() {
        return uniqueKeys.stream().filter(k -> !k.nullable()).findFirst().or(() -> uniqueKeys.stream().findFirst());
    }

    /** The columns an INSERT or UPDATE may write: all but generated ones. */
    List<Column> writableColumns() {
        return columns.stream().filter(c -> !c.generated()).toList();
    }
}
