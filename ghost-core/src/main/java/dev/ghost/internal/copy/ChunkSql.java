package dev.ghost.internal.copy;

import dev.ghost.internal.sql.Sql;
import dev.ghost.spi.CopyPlan;

import java.util.ArrayList;
import java.util.List;

/**
 * The statements of a chunked copy over a (possibly composite) unique key. Key comparisons are spelled out as
 * {@code (a > ?) OR (a = ? AND b > ?)} rather than row constructors, which MariaDB's range optimizer does not use.
 */
final class ChunkSql {

    private final CopyPlan plan;
    private final String keyList;
    private final String forceIndex;
    /** The per-chunk statements, built once: index 0 with an exclusive start, 1 with an inclusive one. */
    private final String[] chunkEnd = new String[2];
    private final String[] copyChunk = new String[2];

    ChunkSql(CopyPlan plan) {
        this.plan = plan;
        this.keyList = Sql.columnList(plan.keyColumns());
        this.forceIndex = " FORCE INDEX (" + Sql.quote(plan.keyName()) + ")";
        for (int inclusive = 0; inclusive < 2; inclusive++) {
            chunkEnd[inclusive] = buildChunkEnd(inclusive == 1);
            copyChunk[inclusive] = buildCopyChunk(inclusive == 1);
        }
    }

    String firstKey() {
        return "SELECT " + keyList + " FROM " + plan.original().quoted() + forceIndex + " ORDER BY "
                + order(" ASC") + " LIMIT 1";
    }

    String lastKey() {
        return "SELECT " + keyList + " FROM " + plan.original().quoted() + forceIndex + " ORDER BY "
                + order(" DESC") + " LIMIT 1";
    }

    /**
     * Finds the key {@code chunkSize} rows after the start: parameters are the start key ({@link #lowerBound}), the
     * last key ({@link #upperBound}, inclusive) and the offset (chunk size - 1).
     */
    String chunkEnd(boolean startInclusive) {
        return chunkEnd[startInclusive ? 1 : 0];
    }

    private String buildChunkEnd(boolean startInclusive) {
        return "SELECT " + keyList + " FROM " + plan.original().quoted() + forceIndex + " WHERE ("
                + lowerBound(plan.keyColumns(), startInclusive) + ") AND (" + upperBound(plan.keyColumns()) + ")"
                + " ORDER BY " + order(" ASC") + " LIMIT 1 OFFSET ?";
    }

    /** Copies the rows from the start key to the end key (inclusive); parameters as {@link #chunkEnd}, no offset. */
    String copyChunk(boolean startInclusive) {
        return copyChunk[startInclusive ? 1 : 0];
    }

    private String buildCopyChunk(boolean startInclusive) {
        return "INSERT IGNORE INTO " + plan.ghost().quoted() + " (" + Sql.columnList(plan.targetColumns()) + ")"
                + " SELECT " + Sql.columnList(plan.sourceColumns()) + " FROM " + plan.original().quoted() + forceIndex
                + " WHERE (" + lowerBound(plan.keyColumns(), startInclusive) + ") AND ("
                + upperBound(plan.keyColumns()) + ") LOCK IN SHARE MODE";
    }

    private String order(String direction) {
        List<String> parts = new ArrayList<>();
        for (String column : plan.keyColumns()) {
            parts.add(Sql.quote(column) + direction);
        }
        return String.join(", ", parts);
    }

    /** {@code key > ?} (or {@code >=}) over a composite key; binds {@link #parameterOrder} of the start key. */
    static String lowerBound(List<String> columns, boolean inclusive) {
        return compare(columns, ">", inclusive);
    }

    /** {@code key <= ?} over a composite key. */
    static String upperBound(List<String> columns) {
        return compare(columns, "<", true);
    }

    private static String compare(List<String> columns, String operator, boolean inclusiveLast) {
        List<String> disjuncts = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            List<String> conjuncts = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                conjuncts.add(Sql.quote(columns.get(j)) + " = ?");
            }
            boolean last = i == columns.size() - 1;
            conjuncts.add(Sql.quote(columns.get(i)) + " " + operator + (last && inclusiveLast ? "=" : "") + " ?");
            disjuncts.add(columns.size() == 1 ? conjuncts.get(0) : "(" + String.join(" AND ", conjuncts) + ")");
        }
        return String.join(" OR ", disjuncts);
    }

    /** Which key value each placeholder of a bound takes: 0 | 0 1 | 0 1 2 ... */
    static int[] parameterOrder(int keyColumns) {
        int[] order = new int[keyColumns * (keyColumns + 1) / 2];
        int next = 0;
        for (int i = 0; i < keyColumns; i++) {
            for (int j = 0; j <= i; j++) {
                order[next++] = j;
            }
        }
        return order;
    }
}
