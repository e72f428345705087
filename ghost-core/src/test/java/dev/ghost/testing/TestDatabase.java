package dev.ghost.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** A fresh schema on a {@link TestServer}, with small helpers for tests. Dropped by {@link #close()}. */
public final class TestDatabase implements AutoCloseable {

    private final TestServer server;
    private final String name;

    TestDatabase(TestServer server, String name) {
        this.server = server;
        this.name = name;
    }

    public TestServer server() {
        return server;
    }

    public String name() {
        return name;
    }

    public Connection connect() throws SQLException {
        return server.connect(name);
    }

    /** Runs statements in order on one connection. */
    public void execute(String... statements) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage() + " in: " + String.join("; ", statements), e);
        }
    }

    /** Every row of a query, every column as a string (null stays null). */
    public List<List<String>> query(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            int columns = r.getMetaData().getColumnCount();
            List<List<String>> rows = new ArrayList<>();
            while (r.next()) {
                List<String> row = new ArrayList<>(columns);
                for (int i = 1; i <= columns; i++) {
                    row.add(r.getString(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage() + " in: " + sql, e);
        }
    }

    public long queryLong(String sql) {
        return Long.parseLong(query(sql).get(0).get(0));
    }

    public List<String> tables() {
        return query("SELECT table_name FROM information_schema.tables WHERE table_schema = '" + name
                + "' ORDER BY table_name").stream().map(r -> r.get(0)).toList();
    }

    /**
     * The byte-exact content of a table: every column through HEX() (so charsets, trailing zero bytes and
     * fractional seconds all count), in primary-key order; DECIMAL, FLOAT and DOUBLE columns as their exact text,
     * because HEX() of such a value is the hex of the value rounded to an integer (1.5 and 1.6 both give 2).
     */
    public List<List<String>> contentOf(String table, String orderBy) {
        List<String> columns = query("SELECT column_name FROM information_schema.columns WHERE table_schema = '"
                + name + "' AND table_name = '" + table + "' ORDER BY ordinal_position")
                .stream().map(r -> r.get(0)).toList();
        return contentOf(table, columns, orderBy);
    }

    /** Like {@link #contentOf(String, String)}, for the given columns only. */
    public List<List<String>> contentOf(String table, List<String> columns, String orderBy) {
        java.util.Set<String> fractional = new java.util.HashSet<>(query("SELECT column_name FROM "
                + "information_schema.columns WHERE table_schema = '" + name + "' AND table_name = '"
                + table.replace("'", "''") + "' AND data_type IN ('decimal', 'float', 'double')")
                .stream().map(r -> r.get(0).toLowerCase(java.util.Locale.ROOT)).toList());
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < columns.size(); i++) {
            String column = "`" + columns.get(i).replace("`", "``") + "`";
            String form = fractional.contains(columns.get(i).toLowerCase(java.util.Locale.ROOT))
                    ? "CAST(" + column + " AS CHAR)" : "HEX(" + column + ")";
            sql.append(i == 0 ? "" : ", ").append("IF(").append(column).append(" IS NULL, 'NULL', ")
                    .append(form).append(")");
        }
        sql.append(" FROM `").append(table.replace("`", "``")).append("` ORDER BY ").append(orderBy);
        return query(sql.toString());
    }

    @Override
    public void close() {
        try (Connection c = server.connect(null); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS `" + name + "`");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
