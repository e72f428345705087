package dev.ghost.internal.copy;

import dev.ghost.internal.sql.Sql;
import dev.ghost.spi.CopyPlan;

import java.util.ArrayList;
import java.util.List;

/**
 * The statements of a chunked copy over a (possibly composite) unique key, with the key's bounds written by
 * {@link KeyBounds} so that they follow the index's order.
 */
final class ChunkSql {

    /** A statement and the values of its placeholders. */
    record Statement(String sql, List<Object> values) {
    }

    private final CopyPlan plan;
    private final KeyBounds bounds;
    private final String forceIndex;
    private final String insertInto;
    /** {@code AND `a` IS NOT NULL ...} over the key's nullable columns; empty when none is nullable. */
    private final String keyNotNull;
    private final List<String> nullableKeyColumns;

    ChunkSql(CopyPlan plan, KeyBounds bounds) {
        this(plan, bounds, List.of());
    }

    /**
     * @param nullableKeyColumns the key's columns that allow NULL (a nullable unique key, allowed by the user): rows
     *                           whose key holds a NULL are not in any key range, and are copied apart
     */
    ChunkSql(CopyPlan plan, KeyBounds bounds, List<String> nullableKeyColumns) {
        this.plan = plan;
        this.bounds = bounds;
        this.nullableKeyColumns = List.copyOf(nullableKeyColumns);
        this.keyNotNull = nullableKeyColumns.stream().map(c -> " AND " + Sql.quote(c) + " IS NOT NULL")
                .collect(java.util.stream.Collectors.joining());
        this.forceIndex = " FORCE INDEX (" + Sql.quote(plan.keyName()) + ")";
        this.insertInto = "INSERT IGNORE INTO " + plan.ghost().quoted() + " (" + Sql.columnList(plan.targetColumns())
                + ") SELECT " + Sql.columnList(plan.sourceColumns()) + " FROM " + plan.original().quoted() + forceIndex;
    }

    KeyBounds bounds() {
        return bounds;
    }

    String firstKey() {
        return "SELECT " + bounds.selectList() + " FROM " + plan.original().quoted() + forceIndex + whereKeyNotNull()
                + " ORDER BY "
                + bounds.orderBy(true) + " LIMIT 1";
    }

    String lastKey() {
        return "SELECT " + bounds.selectList() + " FROM " + plan.original().quoted() + forceIndex + whereKeyNotNull()
                + " ORDER BY "
                + bounds.orderBy(false) + " LIMIT 1";
    }

    /** Finds the key {@code offset} rows after the start, not past {@code last}. */
    Statement chunkEnd(Object[] start, boolean startInclusive, Object[] last, int offset) {
        Statement range = range(start, startInclusive, last);
        List<Object> values = new ArrayList<>(range.values());
        return new Statement("SELECT " + bounds.selectList() + " FROM " + plan.original().quoted() + forceIndex
                + " WHERE " + range.sql() + " ORDER BY " + bounds.orderBy(true) + " LIMIT 1 OFFSET " + offset, values);
    }

    /** Copies the rows from the start key to the end key (inclusive). */
    Statement copyChunk(Object[] start, boolean startInclusive, Object[] end) {
        Statement range = range(start, startInclusive, end);
        return new Statement(insertInto + " WHERE " + range.sql() + " LOCK IN SHARE MODE", range.values());
    }

    private Statement range(Object[] start, boolean startInclusive, Object[] end) {
        KeyBounds.Fragment lower = bounds.after(start, startInclusive);
        KeyBounds.Fragment upper = bounds.before(end, true);
        List<Object> values = new ArrayList<>(lower.values());
        values.addAll(upper.values());
        return new Statement("(" + lower.sql() + ") AND (" + upper.sql() + ")" + keyNotNull, values);
    }

    private String whereKeyNotNull() {
        return keyNotNull.isEmpty() ? "" : " WHERE 1" + keyNotNull;
    }

    /**
     * The statements that copy the rows whose key holds a NULL, in one transaction: the ghost's rows with a NULL in
     * the key are deleted, then the original's are inserted. NULLs are never duplicates, so {@code INSERT IGNORE}
     * could not keep a row the replay wrote first from being inserted twice; deleting first makes it a re-copy.
     * Empty when the key allows no NULL.
     */
    List<String> nullKeyRows() {
        if (nullableKeyColumns.isEmpty()) {
            return List.of();
        }
        List<String> ghostColumns = new ArrayList<>();
        for (String column : nullableKeyColumns) {
            int at = -1;
            for (int i = 0; i < plan.sourceColumns().size(); i++) {
                if (plan.sourceColumns().get(i).equalsIgnoreCase(column)) {
                    at = i;
                }
            }
            ghostColumns.add(plan.targetColumns().get(at));
        }
        String anyNull = String.join(" OR ", nullableKeyColumns.stream().map(c -> Sql.quote(c) + " IS NULL").toList());
        String anyGhostNull = String.join(" OR ", ghostColumns.stream().map(c -> Sql.quote(c) + " IS NULL").toList());
        return List.of("DELETE FROM " + plan.ghost().quoted() + " WHERE " + anyGhostNull,
                insertInto + " WHERE " + anyNull + " LOCK IN SHARE MODE");
    }
}
