package dev.ghost.internal.apply;

import dev.ghost.internal.sql.ColumnValues;
import dev.ghost.internal.sql.Sql;
import dev.ghost.spi.ColumnSchema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The statements the replay writes: multi-row REPLACE of full row images, and DELETE by unique key. */
final class ReplaySql {

    private final ReplayPlan plan;
    private final String rowPlaceholders;
    /** One key's placeholder: {@code ?} for one column, {@code `a` = ? AND `b` = ?} for several. */
    private final String keyMatch;
    /** The eviction query of each unique check, by the check's key name, built once (see {@link #evictions}). */
    private final Map<String, String> evictions = new HashMap<>();

    ReplaySql(ReplayPlan plan) {
        this.plan = plan;
        this.rowPlaceholders = "(" + plan.sourceColumns().stream().map(ColumnValues::placeholder)
                .collect(Collectors.joining(", ")) + ")";
        String keyEquals = equalities(plan.keyColumns(), plan.keyTargets());
        this.keyMatch = plan.keyColumns().size() == 1 ? ColumnValues.placeholderComparedTo(plan.keyColumns().get(0),
                plan.ghostColumn(plan.keyTargets().get(0))) : keyEquals;
        for (ReplayPlan.UniqueCheck check : plan.evictionChecks()) {
            evictions.put(check.name(), "SELECT CONCAT_WS('-', " + Sql.columnList(check.targetColumns()) + ") FROM "
                    + plan.ghost().quoted() + " WHERE " + equalities(check.sourceColumns(), check.targetColumns())
                    + " AND NOT (" + keyEquals + ") LIMIT 1");
        }
    }

    /** {@code `t1` = ? AND `t2` = ?}: each ghost column equal to a value of its source column, under its collation. */
    private String equalities(List<ColumnSchema> sources, List<String> targets) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            parts.add(Sql.quote(targets.get(i)) + " = " + ColumnValues.placeholderComparedTo(sources.get(i),
                    plan.ghostColumn(targets.get(i))));
        }
        return String.join(" AND ", parts);
    }

    /**
     * REPLACE, not UPDATE: the image is the row's whole final state, and REPLACE also removes a ghost row that
     * holds one of its unique values but has not been replayed yet (that row's own event will put it back).
     */
    String replace(int rows) {
        StringBuilder sql = new StringBuilder("REPLACE INTO ").append(plan.ghost().quoted()).append(" (")
                .append(Sql.columnList(plan.targetColumns())).append(") VALUES ");
        for (int i = 0; i < rows; i++) {
            sql.append(i == 0 ? "" : ", ").append(rowPlaceholders);
        }
        return sql.toString();
    }

    /**
     * {@code k IN (...)} for a one-column key; for a composite key an OR of equalities, which both MySQL and
     * MariaDB turn into index ranges (row-constructor IN is not reliably optimized by MariaDB).
     */
    String delete(int rows) {
        List<String> keys = plan.keyTargets();
        StringBuilder sql = new StringBuilder("DELETE FROM ").append(plan.ghost().quoted()).append(" WHERE ");
        if (keys.size() == 1) {
            sql.append(Sql.quote(keys.get(0))).append(" IN (");
            for (int i = 0; i < rows; i++) {
                sql.append(i == 0 ? "" : ", ").append(keyMatch);
            }
            return sql.append(")").toString();
        }
        for (int i = 0; i < rows; i++) {
            sql.append(i == 0 ? "(" : " OR (").append(keyMatch).append(")");
        }
        return sql.toString();
    }

    /**
     * The ghost row that a REPLACE of one image would delete through {@code check}'s key although it is another row
     * (another value of the replay's key): its key's value, as the duplicate warning names it. Parameters: the
     * key's columns, then the replay key's columns.
     */
    String evictions(ReplayPlan.UniqueCheck check) {
        return evictions.get(check.name());
    }

    List<ColumnSchema> rowColumns() {
        return plan.sourceColumns();
    }

    List<ColumnSchema> keyColumns() {
        return plan.keyColumns();
    }
}
