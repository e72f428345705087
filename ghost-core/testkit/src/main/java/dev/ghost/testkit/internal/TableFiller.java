package dev.ghost.testkit.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;

/**
 * Adds rows of generated values to a table, with the same generator as the writers. Batches of INSERT IGNORE: a
 * random value that collides with a unique key drops that row, and the next batch makes up for it. A single integer
 * primary key without AUTO_INCREMENT gets the next numbers instead of random ones, so that small key types fill too.
 */
public final class TableFiller {

    private static final int BATCH = 500;

    private TableFiller() {
    }

    /**
     * Adds {@code rows} rows to {@code table}.
     *
     * @param connection a connection it may change the session time zone of
     * @param table      the table
     * @param rows       how many rows to add
     * @param random     the source of the values
     * @throws SQLException          when the server fails
     * @throws IllegalStateException when the unique keys leave no room for that many new rows
     */
    public static void fill(Connection connection, TableShape table, long rows, Random random) throws SQLException {
        RowStatements statements = new RowStatements(table);
        ValueGenerator values = new ValueGenerator(random);
        TableShape.Column sequential = sequentialKey(table, statements);
        long next = sequential == null ? 0 : nextKey(connection, table, sequential);
        int keyIndex = sequential == null ? -1 : statements.insertedColumns().indexOf(sequential);
        long before = count(connection, table);
        long added = 0;
        int fruitless = 0;
        try (Statement session = connection.createStatement()) {
            session.execute("SET SESSION time_zone = '+00:00'");
        }
        try (PreparedStatement insert = connection.prepareStatement(statements.insertSql(true))) {
            while (added < rows) {
                long batch = Math.min(BATCH, rows - added);
                for (long i = 0; i < batch; i++) {
                    statements.bindInsert(insert, values);
                    if (sequential != null) {
                        insert.setLong(keyIndex + 1, next++);
                    }
                    insert.addBatch();
                }
                insert.executeBatch();
                long now = count(connection, table) - before;
                fruitless = now == added ? fruitless + 1 : 0;
                added = now;
                if (fruitless >= 20) {
                    throw new IllegalStateException("could add only " + added + " of " + rows + " rows to "
                            + table.quoted() + ": its unique keys have no room for more random values; use wider "
                            + "key columns or fewer rows");
                }
            }
        }
    }

    /** The single integer primary key without AUTO_INCREMENT, or null. */
    private static TableShape.Column sequentialKey(TableShape table, RowStatements statements) {
        return table.uniqueKeys().stream()
                .filter(k -> k.name().equals("PRIMARY") && k.columns().size() == 1)
                .map(k -> table.column(k.columns().get(0)).orElseThrow())
                .filter(c -> ValueGenerator.isInteger(c.dataType()) && statements.insertedColumns().contains(c))
                .findFirst().orElse(null);
    }

    private static long nextKey(Connection connection, TableShape table, TableShape.Column key) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet max = statement.executeQuery("SELECT COALESCE(MAX(" + key.quoted() + "), 0) + 1 FROM "
                     + table.quoted())) {
            max.next();
            return Math.max(1, max.getLong(1));
        }
    }

    private static long count(Connection connection, TableShape table) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM " + table.quoted())) {
            count.next();
            return count.getLong(1);
        }
    }
}
