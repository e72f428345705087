package dev.ghost.internal.copy;

import dev.ghost.internal.sql.Sql;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Comparisons of a (possibly composite) key with a key value, written so that they agree with the index's order and
 * that MariaDB's range optimizer uses the index: {@code (a > ?) OR (a = ? AND b > ?)} rather than row constructors,
 * and, for a small ENUM or SET, {@code a IN (3, 4)} rather than {@code a > 2} (see {@link KeyColumn}). The statement
 * text depends on the bound values only for enumerated columns.
 */
public final class KeyBounds {

    /** A piece of SQL and the values its placeholders take, in order. */
    public record Fragment(String sql, List<Object> values) {
    }

    /** Binds key values (as {@link KeyColumn#read} gives them) to the placeholders from the first on. */
    public static void bind(PreparedStatement statement, List<Object> values) throws SQLException {
        int index = 1;
        for (Object value : values) {
            KeyColumn.bind(statement, index++, value);
        }
    }

    private final List<KeyColumn> columns;

    public KeyBounds(List<KeyColumn> columns) {
        this.columns = List.copyOf(columns);
    }

    public List<KeyColumn> columns() {
        return columns;
    }

    /** The key's columns as the walk reads them ({@code `a`, `b`+0}). */
    public String selectList() {
        StringJoiner list = new StringJoiner(", ");
        columns.forEach(c -> list.add(c.selectExpression()));
        return list.toString();
    }

    /** {@code ORDER BY} the key in the index's order, ascending or descending. */
    public String orderBy(boolean ascending) {
        StringJoiner order = new StringJoiner(", ");
        columns.forEach(c -> order.add(Sql.quote(c.name()) + (ascending ? " ASC" : " DESC")));
        return order.toString();
    }

    /**
     * Runs a query that selects {@link #selectList()} with these placeholder values, and returns the first row's key,
     * or null when there is none.
     */
    public Object[] readFirstKey(Connection connection, String query, List<Object> values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            bind(statement, values);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return null;
                }
                Object[] key = new Object[columns.size()];
                for (int i = 0; i < key.length; i++) {
                    key[i] = columns.get(i).read(rows, i + 1);
                }
                return key;
            }
        }
    }

    /** Rows whose key is after {@code key} (or at it, when {@code inclusive}). */
    public Fragment after(Object[] key, boolean inclusive) {
        return compare(key, true, inclusive);
    }

    /** Rows whose key is before {@code key} (or at it, when {@code inclusive}). */
    public Fragment before(Object[] key, boolean inclusive) {
        return compare(key, false, inclusive);
    }

    private Fragment compare(Object[] key, boolean greater, boolean inclusiveLast) {
        List<String> disjuncts = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            List<String> conjuncts = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                conjuncts.add(Sql.quote(columns.get(j).name()) + " = ?");
                values.add(key[j]);
            }
            boolean last = i == columns.size() - 1;
            conjuncts.add(strictOrEqual(columns.get(i), key[i], greater, last && inclusiveLast, values));
            disjuncts.add(columns.size() == 1 ? conjuncts.get(0) : "(" + String.join(" AND ", conjuncts) + ")");
        }
        return new Fragment(String.join(" OR ", disjuncts), values);
    }

    private static String strictOrEqual(KeyColumn column, Object value, boolean greater, boolean inclusive,
                                        List<Object> values) {
        String name = Sql.quote(column.name());
        if (!column.enumerated()) {
            values.add(value);
            return name + (greater ? " >" : " <") + (inclusive ? "= ?" : " ?");
        }
        int at = ((BigDecimal) value).intValueExact();
        StringJoiner in = new StringJoiner(", ", name + " IN (", ")");
        int from = greater ? (inclusive ? at : at + 1) : 0;
        int to = greater ? column.domainSize() - 1 : (inclusive ? at : at - 1);
        for (int v = from; v <= to; v++) {
            in.add(Integer.toString(v));
        }
        return from > to ? "0 = 1" : in.toString();
    }
}
