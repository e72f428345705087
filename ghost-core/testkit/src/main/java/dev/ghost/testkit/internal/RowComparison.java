package dev.ghost.testkit.internal;

import dev.ghost.spi.TableName;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Checks a migrated table against its original, independently of ghost: the server converts the original's rows
 * into a table made like the new one ({@code CREATE TABLE … LIKE new}, {@code INSERT … SELECT shared columns FROM
 * old}), and every row of that expected table must be in the new table, and nothing else, with every shared column
 * equal byte for byte (text and binary through HEX(), numbers and times by value, as the column types are the same on
 * both sides). Rows are paired by a unique key of the new table made of shared columns. Columns the ALTER added have
 * no original value and are not compared.
 */
public final class RowComparison {

    /** How many differing rows of each kind the message shows. */
    private static final int SHOWN = 5;
    private static final int SHOWN_VALUE_CHARS = 60;

    /**
     * The sql_mode of ghost's copy (the server's, without the zero-date modes, plus NO_AUTO_VALUE_ON_ZERO and strict
     * mode): the expected rows are converted as ghost's copy converts them, except that nothing is ignored.
     */
    private static final String GHOST_SQL_MODE = "CONCAT_WS(',', NULLIF(TRIM(BOTH ',' FROM REPLACE(REPLACE("
            + "CONCAT(',', @@session.sql_mode, ','), ',NO_ZERO_IN_DATE,', ','), ',NO_ZERO_DATE,', ',')), ''), "
            + "'NO_AUTO_VALUE_ON_ZERO', 'STRICT_ALL_TABLES')";

    private RowComparison() {
    }

    /**
     * The outcome.
     *
     * @param rowsCompared rows of the expected table
     * @param columns      the columns compared
     * @param differences  a description of what differs, empty when nothing does
     */
    public record Outcome(long rowsCompared, List<String> columns, String differences) {

        /**
         * Whether every row is there, unchanged, and no other.
         *
         * @return true when nothing differs
         */
        public boolean same() {
            return differences.isEmpty();
        }
    }

    /**
     * Compares {@code newTable} with what {@code oldTable}'s rows become under the new definition.
     *
     * @param connection a connection it may change the session settings of
     * @param schema     the schema of both tables
     * @param newTable   the migrated table
     * @param oldTable   the original, as ghost kept it
     * @return the outcome
     * @throws SQLException when the server fails otherwise than by refusing the conversion
     * @throws AssertionError when no unique key of the new table can pair the rows
     */
    public static Outcome compare(Connection connection, String schema, String newTable, String oldTable)
            throws SQLException {
        TableShape now = TableShape.read(connection, schema, newTable);
        TableShape old = TableShape.read(connection, schema, oldTable);
        List<TableShape.Column> shared = now.columns().stream().filter(c -> old.column(c.name()).isPresent()).toList();
        List<String> sharedNames = shared.stream().map(TableShape.Column::name).toList();
        TableShape.UniqueKey key = now.uniqueKeys().stream()
                .filter(k -> sharedNames.containsAll(k.columns()))
                .sorted((a, b) -> Boolean.compare(a.nullable(), b.nullable()))
                .findFirst().orElseThrow(() -> new AssertionError("cannot pair the rows of " + now.quoted()
                        + " with those of " + old.quoted() + ": no unique key of the new table is made of columns "
                        + "that both tables have (columns " + sharedNames + ")"));
        String expected = "_" + shortName(newTable) + "_expected";
        String expectedTable = new TableName(schema, expected).quoted();
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET SESSION time_zone = '+00:00', sql_mode = " + GHOST_SQL_MODE);
            statement.execute("DROP TABLE IF EXISTS " + expectedTable);
            statement.execute("CREATE TABLE " + expectedTable + " LIKE " + now.quoted());
            try {
                String insertable = shared.stream().filter(c -> !c.generated()).map(TableShape.Column::quoted)
                        .collect(Collectors.joining(", "));
                try {
                    statement.execute("INSERT INTO " + expectedTable + " (" + insertable + ") SELECT " + insertable
                            + " FROM " + old.quoted());
                } catch (SQLException e) {
                    return new Outcome(count(statement, old.quoted()), sharedNames, "the server cannot turn the "
                            + "original rows into rows of the new definition without loss (" + e.getMessage()
                            + "): rows were lost or changed");
                }
                return new Outcome(count(statement, expectedTable), sharedNames,
                        differences(statement, expectedTable, now.quoted(), shared, key));
            } finally {
                statement.execute("DROP TABLE IF EXISTS " + expectedTable);
            }
        }
    }

    private static String shortName(String table) {
        return table.length() > 40 ? table.substring(0, 40) : table;
    }

    private static String differences(Statement statement, String expected, String actual,
                                      List<TableShape.Column> shared, TableShape.UniqueKey key) throws SQLException {
        String join = key.columns().stream().map(c -> "e." + TableName.quote(c) + " <=> n." + TableName.quote(c))
                .collect(Collectors.joining(" AND "));
        String keyShown = keyShown("e", key, shared);
        String keyShownNew = keyShown("n", key, shared);
        List<String> report = new ArrayList<>();

        List<String> lost = column(statement, "SELECT CONCAT_WS(', ', " + keyShown + ") FROM " + expected
                + " e WHERE NOT EXISTS (SELECT 1 FROM " + actual + " n WHERE " + join + ")");
        if (!lost.isEmpty()) {
            report.add(lost.size() + " row(s) lost, e.g. " + String.join("; ", first(lost)));
        }
        List<String> extra = column(statement, "SELECT CONCAT_WS(', ', " + keyShownNew + ") FROM " + actual
                + " n WHERE NOT EXISTS (SELECT 1 FROM " + expected + " e WHERE " + join + ")");
        if (!extra.isEmpty()) {
            report.add(extra.size() + " row(s) that the original did not have, e.g. "
                    + String.join("; ", first(extra)));
        }

        String differing = shared.stream().map(c -> "IF(" + same(c) + ", NULL, CONCAT(" + literal(c.name() + ": ")
                        + ", 'expected ', " + shown("e", c) + ", ' but found ', " + shown("n", c) + "))")
                .collect(Collectors.joining(", "));
        List<String> changed = column(statement, "SELECT CONCAT(CONCAT_WS(', ', " + keyShown + "), ': ', "
                + "CONCAT_WS('; ', " + differing + ")) FROM " + expected + " e JOIN " + actual + " n ON " + join
                + " WHERE NOT (" + shared.stream().map(RowComparison::same).collect(Collectors.joining(" AND "))
                + ")");
        if (!changed.isEmpty()) {
            report.add(changed.size() + " row(s) changed, e.g. " + String.join(" | ", first(changed)));
        }
        return String.join("\n", report);
    }

    private static String keyShown(String alias, TableShape.UniqueKey key, List<TableShape.Column> shared) {
        return key.columns().stream().map(c -> "CONCAT(" + literal(c + "=") + ", "
                        + shown(alias, shared.stream().filter(s -> s.name().equals(c)).findFirst().orElseThrow()) + ")")
                .collect(Collectors.joining(", "));
    }

    /** Byte-exact for text and binary; by value for numbers and times (same types on both sides). */
    private static String same(TableShape.Column column) {
        String e = "e." + column.quoted();
        String n = "n." + column.quoted();
        return column.comparedAsBytes() ? "HEX(" + e + ") <=> HEX(" + n + ")" : e + " <=> " + n;
    }

    /** A value for the message: text quoted with its hex, binary as hex, others as the server prints them. */
    private static String shown(String alias, TableShape.Column column) {
        String value = alias + "." + column.quoted();
        String hex = "CONCAT('0x', LEFT(HEX(" + value + "), " + SHOWN_VALUE_CHARS + "))";
        String text;
        if (column.dataType().equals("bit")) {
            text = "CAST(" + value + " + 0 AS CHAR)";
        } else if (column.comparedAsBytes() && column.charset() == null) {
            text = hex;
        } else if (column.comparedAsBytes()) {
            text = "CONCAT(QUOTE(LEFT(" + value + ", " + SHOWN_VALUE_CHARS + ")), ' (', " + hex + ", ')')";
        } else {
            text = "CAST(" + value + " AS CHAR)";
        }
        return "IF(" + value + " IS NULL, 'NULL', " + text + ")";
    }

    private static List<String> column(Statement statement, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    private static List<String> first(List<String> values) {
        return values.subList(0, Math.min(SHOWN, values.size()));
    }

    private static long count(Statement statement, String table) throws SQLException {
        try (ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            count.next();
            return count.getLong(1);
        }
    }

    /** A string literal for SQL text: quotes and backslashes escaped (the lab's sessions keep backslash escapes). */
    private static String literal(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
