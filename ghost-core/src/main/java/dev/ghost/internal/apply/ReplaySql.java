package dev.ghost.internal.apply;

import dev.ghost.internal.sql.ColumnValues;
import dev.ghost.internal.sql.Sql;
import dev.ghost.spi.ColumnSchema;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The statements the replay writes: multi-row REPLACE of full row images, and DELETE by unique key. */
final class ReplaySql {

    private final ReplayPlan plan;
    private final String rowPlaceholders;
    /** One key's placeholder: {@code ?} for one column, {@code `a` = ? AND `b` = ?} for several. */
    private final String keyMatch;

    ReplaySql(ReplayPlan plan) {
        this.plan = plan;
        this.rowPlaceholders = "(" + plan.sourceColumns().stream().map(ColumnValues::placeholder)
                .collect(Collectors.joining(", ")) + ")";
        if (plan.keyColumns().size() == 1) {
            this.keyMatch = ColumnValues.placeholderComparedTo(plan.keyColumns().get(0),
                    plan.ghostColumn(plan.keyTargets().get(0)));
        } else {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < plan.keyColumns().size(); i++) {
                parts.add(Sql.quote(plan.keyTargets().get(i)) + " = " + ColumnValues.placeholderComparedTo(
                        plan.keyColumns().get(i), plan.ghostColumn(plan.keyTargets().get(i))));
            }
            this.keyMatch = String.join(" AND ", parts);
        }
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
     * The rows of the ghost that a REPLACE of {@code rows} images would delete through {@code check}'s key although
     * they are other rows (another value of the replay's key): their key's value, as the duplicate warning names it.
     * Parameters per image: the key's columns, then the replay key's columns.
     */
    String evictions(ReplayPlan.UniqueCheck check, int rows) {
        List<String> uniqueMatch = new ArrayList<>();
        for (int i = 0; i < check.sourceColumns().size(); i++) {
            uniqueMatch.add(Sql.quote(check.targetColumns().get(i)) + " = " + ColumnValues.placeholderComparedTo(
                    check.sourceColumns().get(i), plan.ghostColumn(check.targetColumns().get(i))));
        }
        List<String> sameRow = new ArrayList<>();
        for (int i = 0; i < plan.keyColumns().size(); i++) {
            sameRow.add(Sql.quote(plan.keyTargets().get(i)) + " = " + ColumnValues.placeholderComparedTo(
                    plan.keyColumns().get(i), plan.ghostColumn(plan.keyTargets().get(i))));
        }
        String one = "(" + String.join(" AND ", uniqueMatch) + " AND NOT (" + String.join(" AND ", sameRow) + "))";
        StringBuilder sql = new StringBuilder("SELECT CONCAT_WS('-', ");
        sql.append(String.join(", ", check.targetColumns().stream().map(Sql::quote).toList()));
        sql.append(") FROM ").append(plan.ghost().quoted()).append(" WHERE ");
        for (int i = 0; i < rows; i++) {
            sql.append(i == 0 ? "" : " OR ").append(one);
        }
        return sql.append(" LIMIT 1").toString();
    }

    List<ColumnSchema> rowColumns() {
        return plan.sourceColumns();
    }

    List<ColumnSchema> keyColumns() {
        return plan.keyColumns();
    }
}
