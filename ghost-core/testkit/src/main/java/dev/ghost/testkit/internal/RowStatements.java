package dev.ghost.testkit.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * The SQL the fill and the writers run on one table: an INSERT of every column the generator can fill, an UPDATE of
 * a few non-key columns of one row, a DELETE of one row, and a sample of existing rows' keys to aim them at. Rows are
 * addressed by the table's {@link TableShape#rowKey()}; key values travel as text (hex for strings, so that no
 * charset or collation changes them) and are compared with {@code <=>}, which uses the key's index.
 */
final class RowStatements {

    private final TableShape table;
    private final List<TableShape.Column> inserted;
    private final List<TableShape.Column> updatable;
    private final List<TableShape.Column> key;

    /**
     * @param table the table
     * @throws IllegalArgumentException when a column that must be written (no default, not nullable) has a type the
     *                                  generator does not know
     */
    RowStatements(TableShape table) {
        this.table = table;
        List<String> keyNames = table.rowKey().map(TableShape.UniqueKey::columns).orElse(List.of());
        this.key = keyNames.stream().map(name -> table.column(name).orElseThrow()).toList();
        List<TableShape.Column> insertable = new ArrayList<>();
        for (TableShape.Column column : table.writableColumns()) {
            if (column.autoIncrement()) {
                continue; // the server numbers new rows, as an application lets it
            }
            if (ValueGenerator.supports(column)) {
                insertable.add(column);
            } else if (!column.hasDefault()) {
                throw new IllegalArgumentException("the kit cannot make values for column " + column.quoted() + " ("
                        + column.columnType() + ") of " + table.quoted() + ", which has no default: give it a "
                        + "default or fill the table with your own INSERTs through lab.execute(...)");
            }
        }
        this.inserted = List.copyOf(insertable);
        this.updatable = insertable.stream().filter(c -> !keyNames.contains(c.name())).toList();
    }

    /** The columns an INSERT writes. */
    List<TableShape.Column> insertedColumns() {
        return inserted;
    }

    /** Whether rows can be addressed for updates and deletes (the table has a unique key). */
    boolean hasRowKey() {
        return !key.isEmpty();
    }

    /** {@code INSERT INTO t (cols) VALUES (?, ...)}, or with DEFAULT VALUES when there is nothing to write. */
    String insertSql(boolean ignore) {
        if (inserted.isEmpty()) {
            return "INSERT " + (ignore ? "IGNORE " : "") + "INTO " + table.quoted() + " () VALUES ()";
        }
        return "INSERT " + (ignore ? "IGNORE " : "") + "INTO " + table.quoted() + " ("
                + inserted.stream().map(TableShape.Column::quoted).collect(Collectors.joining(", ")) + ") VALUES ("
                + inserted.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
    }

    /** Binds one generated row to {@link #insertSql}. */
    void bindInsert(PreparedStatement insert, ValueGenerator values) throws SQLException {
        for (int i = 0; i < inserted.size(); i++) {
            insert.setObject(i + 1, values.next(inserted.get(i)));
        }
    }

    /**
     * Updates one to three random non-key columns of the row with {@code keyValues}; returns the rows changed. 0
     * when the table has only key columns.
     */
    int update(Connection connection, List<String> keyValues, ValueGenerator values, Random random)
            throws SQLException {
        if (updatable.isEmpty()) {
            return 0;
        }
        List<TableShape.Column> chosen = new ArrayList<>(updatable);
        java.util.Collections.shuffle(chosen, random);
        chosen = chosen.subList(0, Math.min(chosen.size(), 1 + random.nextInt(3)));
        String sql = "UPDATE " + table.quoted() + " SET "
                + chosen.stream().map(c -> c.quoted() + " = ?").collect(Collectors.joining(", ")) + " WHERE "
                + keyCondition();
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            int index = 1;
            for (TableShape.Column column : chosen) {
                update.setObject(index++, values.next(column));
            }
            bindKey(update, index, keyValues);
            return update.executeUpdate();
        }
    }

    /** Deletes the row with {@code keyValues}; returns the rows deleted. */
    int delete(Connection connection, List<String> keyValues) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table.quoted() + " WHERE "
                + keyCondition())) {
            bindKey(delete, 1, keyValues);
            return delete.executeUpdate();
        }
    }

    /** Up to {@code limit} keys of existing rows, picked at random, each as its columns' text. */
    List<List<String>> sampleKeys(Connection connection, int limit) throws SQLException {
        List<List<String>> keys = new ArrayList<>();
        if (key.isEmpty()) {
            return keys;
        }
        String columns = key.stream().map(RowStatements::keyAsText).collect(Collectors.joining(", "));
        try (PreparedStatement sample = connection.prepareStatement("SELECT " + columns + " FROM " + table.quoted()
                + " ORDER BY RAND() LIMIT " + limit);
             ResultSet rows = sample.executeQuery()) {
            while (rows.next()) {
                List<String> values = new ArrayList<>(key.size());
                for (int i = 1; i <= key.size(); i++) {
                    values.add(rows.getString(i));
                }
                keys.add(values);
            }
        }
        return keys;
    }

    private String keyCondition() {
        return key.stream().map(c -> c.quoted() + " <=> " + keyParameter(c)).collect(Collectors.joining(" AND "));
    }

    private void bindKey(PreparedStatement statement, int firstIndex, List<String> keyValues) throws SQLException {
        for (int i = 0; i < keyValues.size(); i++) {
            String value = keyValues.get(i);
            if (value != null && key.get(i).dataType().equals("bit")) {
                statement.setBigDecimal(firstIndex + i, new java.math.BigDecimal(value)); // a BIT compares to a number
            } else {
                statement.setString(firstIndex + i, value);
            }
        }
    }

    /** Strings as hex (exact whatever the charset), BIT as its number, everything else as the server prints it. */
    private static String keyAsText(TableShape.Column column) {
        if (column.dataType().equals("bit")) {
            return "CAST(" + column.quoted() + " + 0 AS CHAR)";
        }
        return column.comparedAsBytes() ? "HEX(" + column.quoted() + ")" : "CAST(" + column.quoted() + " AS CHAR)";
    }

    private static String keyParameter(TableShape.Column column) {
        if (column.dataType().equals("bit") || !column.comparedAsBytes()) {
            return "?";
        }
        // CONVERT keeps the column's charset on the right-hand side, so that the comparison uses the key's index.
        return column.charset() == null ? "UNHEX(?)" : "CONVERT(UNHEX(?) USING " + column.charset() + ")";
    }
}
