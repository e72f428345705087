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

    ChunkSql(CopyPlan plan, KeyBounds bounds) {
        this.plan = plan;
        this.bounds = bounds;
        this.forceIndex = " FORCE INDEX (" + Sql.quote(plan.keyName()) + ")";
        this.insertInto = "INSERT IGNORE INTO " + plan.ghost().quoted() + " (" + Sql.columnList(plan.targetColumns())
                + ") SELECT " + Sql.columnList(plan.sourceColumns()) + " FROM " + plan.original().quoted() + forceIndex;
    }

    KeyBounds bounds() {
        return bounds;
    }

    String firstKey() {
        return "SELECT " + bounds.selectList() + " FROM " + plan.original().quoted() + forceIndex + " ORDER BY "
                + bounds.orderBy(true) + " LIMIT 1";
    }

    String lastKey() {
        return "SELECT " + bounds.selectList() + " FROM " + plan.original().quoted() + forceIndex + " ORDER BY "
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
        return new Statement("(" + lower.sql() + ") AND (" + upper.sql() + ")", values);
    }
}
