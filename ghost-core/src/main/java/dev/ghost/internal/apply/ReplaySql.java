package dev.ghost.internal.apply;

import dev.ghost.internal.sql.ColumnValues;
import dev.ghost.internal.sql.Sql;
import dev.ghost.spi.ColumnSchema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The statements the replay writes, each for a list of keys: DELETE from the ghost by key, and REPLACE … SELECT
 * of the keys' current rows from the original, with the copy's column mapping, so that values convert exactly as the
 * copy converts them and no row crosses the network. Keys bind one placeholder per key column, in the key's order.
 */
final class ReplaySql {

    private static final String ORIGINAL = "o";
    private static final String GHOST = "g";

    private final ReplayPlan plan;
    private final String forceIndex;
    /** Whether a key column may be NULL (see {@link #keysIn}). */
    private final boolean nullable;
    private final List<String> keyNames;
    /** Each key column's value as the ghost's key column compares it, under the ghost column's collation. */
    private final List<String> ghostPlaceholders;
    /** Each key column's value as the original's own key column compares it. */
    private final List<String> originalPlaceholders;
    /** {@code ON DUPLICATE KEY UPDATE} of every written column when rows are updated in place; else empty. */
    private final String updateInPlace;
    private final String replaceInto;
    /** One row image's placeholders, for {@link #replaceImages}. */
    private final String rowPlaceholders;
    private final Map<String, EvictionQueries> evictions = new HashMap<>();

    /**
     * The queries of a unique check: two in two parts around the list of keys, and the one for a row image
     * ({@link #imageEvictions}).
     */
    private record EvictionQueries(String joinHead, String joinTail, String duplicatesHead, String duplicatesTail,
                                   String ofImage) {
    }

    ReplaySql(ReplayPlan plan) {
        this.plan = plan;
        this.forceIndex = plan.keyName() == null ? "" : " FORCE INDEX (" + Sql.quote(plan.keyName()) + ")";
        List<ColumnSchema> key = plan.keyColumns();
        List<String> ghostMatch = new ArrayList<>();
        List<String> originalMatch = new ArrayList<>();
        for (int i = 0; i < key.size(); i++) {
            ghostMatch.add(ColumnValues.placeholderComparedTo(key.get(i), plan.ghostColumn(plan.keyTargets().get(i))));
            originalMatch.add(ColumnValues.placeholderComparedTo(key.get(i), null));
        }
        this.nullable = key.stream().anyMatch(ColumnSchema::nullable);
        this.keyNames = key.stream().map(ColumnSchema::name).toList();
        this.ghostPlaceholders = List.copyOf(ghostMatch);
        this.originalPlaceholders = List.copyOf(originalMatch);
        this.replaceInto = (plan.keepOtherColumns() ? "INSERT INTO " : "REPLACE INTO ") + plan.ghost().quoted()
                + " (" + Sql.columnList(plan.targetColumns())
                + ") SELECT " + Sql.columnList(plan.sourceColumns().stream().map(ColumnSchema::name).toList())
                + " FROM " + plan.original().quoted() + forceIndex + " WHERE ";
        StringJoiner updates = new StringJoiner(", ", " ON DUPLICATE KEY UPDATE ", "");
        plan.targetColumns().forEach(column -> updates.add(Sql.quote(column) + " = VALUES(" + Sql.quote(column)
                + ")"));
        this.updateInPlace = plan.keepOtherColumns() ? updates.toString() : "";
        this.rowPlaceholders = "(" + String.join(", ", plan.sourceColumns().stream().map(ColumnValues::placeholder)
                .toList()) + ")";
        for (ReplayPlan.UniqueCheck check : plan.evictionChecks()) {
            evictions.put(check.name(), evictionQueries(check));
        }
    }

    /**
     * {@code k IN (?, ?)} for a one-column key; for a composite key an OR of equalities, which both MySQL and
     * MariaDB turn into index ranges (row-constructor IN is not reliably optimized by MariaDB). A key with a nullable
     * column (allowed by allowNullableUniqueKey) compares with {@code <=>}, so that a NULL matches its row.
     */
    private String keysIn(String alias, List<String> columns, List<String> placeholders, int keys) {
        StringBuilder sql = new StringBuilder();
        if (columns.size() == 1 && !nullable) {
            sql.append(alias).append(Sql.quote(columns.get(0))).append(" IN (");
            for (int i = 0; i < keys; i++) {
                sql.append(i == 0 ? "" : ", ").append(placeholders.get(0));
            }
            return sql.append(")").toString();
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            parts.add(alias + Sql.quote(columns.get(i)) + (nullable ? " <=> " : " = ") + placeholders.get(i));
        }
        String oneKey = String.join(" AND ", parts);
        sql.append("(");
        for (int i = 0; i < keys; i++) {
            sql.append(i == 0 ? "(" : " OR (").append(oneKey).append(")");
        }
        return sql.append(")").toString();
    }

    /** The original's rows of {@code keys} keys, its columns qualified by {@code alias} (may be empty). */
    private String originalKeysIn(String alias, int keys) {
        return keysIn(alias, keyNames, originalPlaceholders, keys);
    }

    /** Deletes the ghost's rows of {@code keys} keys. */
    String delete(int keys) {
        return "DELETE FROM " + plan.ghost().quoted() + " WHERE "
                + keysIn("", plan.keyTargets(), ghostPlaceholders, keys);
    }

    /**
     * Copies the current rows of {@code keys} keys from the original into the ghost. REPLACE, not INSERT: the row's
     * previous version goes, and so does a ghost row that holds one of its unique values but whose own change is
     * still to be applied (that change puts it back). LOCK IN SHARE MODE, not a consistent read: see
     * {@link Replayer}.
     */
    String upsert(int keys) {
        return replaceInto + originalKeysIn("", keys) + " LOCK IN SHARE MODE" + updateInPlace;
    }

    /**
     * The first ghost row that an {@link #upsert} of {@code keys} keys would delete through {@code check}'s key
     * although it is another row (another value of the replay's key): its value of that key, as a duplicate warning
     * names it. Locks what it reads, like the upsert, so that the upsert reads the same rows.
     */
    String evictions(ReplayPlan.UniqueCheck check, int keys) {
        EvictionQueries queries = evictions.get(check.name());
        return queries.joinHead() + originalKeysIn(ORIGINAL + ".", keys) + queries.joinTail();
    }

    /**
     * The first value of {@code check}'s key that two of the original's rows of {@code keys} keys share: one upsert
     * would insert the first and delete it with the second.
     */
    String duplicatesAmong(ReplayPlan.UniqueCheck check, int keys) {
        EvictionQueries queries = evictions.get(check.name());
        return queries.duplicatesHead() + originalKeysIn(ORIGINAL + ".", keys) + queries.duplicatesTail();
    }

    private EvictionQueries evictionQueries(ReplayPlan.UniqueCheck check) {
        List<String> sameValue = new ArrayList<>();
        List<String> asGhostHoldsIt = new ArrayList<>();
        List<String> notNull = new ArrayList<>();
        for (int i = 0; i < check.sourceColumns().size(); i++) {
            ColumnSchema source = check.sourceColumns().get(i);
            String target = check.targetColumns().get(i);
            String compared = comparedAs(ORIGINAL + "." + Sql.quote(source.name()), source, plan.ghostColumn(target));
            sameValue.add(GHOST + "." + Sql.quote(target) + " = " + compared);
            asGhostHoldsIt.add(compared);
            notNull.add(ORIGINAL + "." + Sql.quote(source.name()) + " IS NOT NULL");
        }
        List<String> sameKey = new ArrayList<>();
        for (int i = 0; i < plan.keyColumns().size(); i++) {
            ColumnSchema source = plan.keyColumns().get(i);
            String target = plan.keyTargets().get(i);
            sameKey.add(GHOST + "." + Sql.quote(target) + " = "
                    + comparedAs(ORIGINAL + "." + Sql.quote(source.name()), source, plan.ghostColumn(target)));
        }
        String from = " FROM " + plan.original().quoted() + " " + ORIGINAL + forceIndex;
        return new EvictionQueries(
            "SELECT CONCAT_WS('-', " + String.join(", ", check.targetColumns().stream()
                    .map(t -> GHOST + "." + Sql.quote(t)).toList()) + ")" + from + " JOIN " + plan.ghost().quoted()
                    + " " + GHOST + " ON " + String.join(" AND ", sameValue) + " WHERE ",
            " AND NOT (" + String.join(" AND ", sameKey) + ") LIMIT 1 LOCK IN SHARE MODE",
            "SELECT CONCAT_WS('-', " + String.join(", ", asGhostHoldsIt) + ")" + from + " WHERE ",
            " AND " + String.join(" AND ", notNull) + " GROUP BY " + String.join(", ", asGhostHoldsIt)
                    + " HAVING COUNT(*) > 1 LIMIT 1 LOCK IN SHARE MODE",
            "SELECT CONCAT_WS('-', " + Sql.columnList(check.targetColumns()) + ") FROM " + plan.ghost().quoted()
                    + " WHERE " + ghostEqualities(check.sourceColumns(), check.targetColumns()) + " AND NOT ("
                    + ghostEqualities(plan.keyColumns(), plan.keyTargets()) + ") LIMIT 1");
    }

    /** {@code `t1` = ? AND `t2` = ?}: each ghost column equal to a value of its source column, under its collation. */
    private String ghostEqualities(List<ColumnSchema> sources, List<String> targets) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            parts.add(Sql.quote(targets.get(i)) + " = " + ColumnValues.placeholderComparedTo(sources.get(i),
                    plan.ghostColumn(targets.get(i))));
        }
        return String.join(" AND ", parts);
    }

    /**
     * Writes {@code rows} row images ({@link ReplayPlan#sourceColumns()} of each, in order) into the ghost: used
     * only while the original cannot be read (see {@link Replayer}).
     */
    String replaceImages(int rows) {
        StringBuilder sql = new StringBuilder(plan.keepOtherColumns() ? "INSERT INTO " : "REPLACE INTO ")
                .append(plan.ghost().quoted()).append(" (").append(Sql.columnList(plan.targetColumns()))
                .append(") VALUES ");
        for (int i = 0; i < rows; i++) {
            sql.append(i == 0 ? "" : ", ").append(rowPlaceholders);
        }
        return sql.append(updateInPlace).toString();
    }

    /**
     * The ghost row that a REPLACE of one image would delete through {@code check}'s key although it is another row:
     * its value of that key. Parameters: the image's values of the check's columns, then of the replay key's.
     */
    String imageEvictions(ReplayPlan.UniqueCheck check) {
        return evictions.get(check.name()).ofImage();
    }

    /**
     * A column of the original as the ghost's column compares it: text converted to the ghost column's character
     * set and collation (two columns of different collations cannot be compared as they are), anything else as it
     * is.
     */
    private static String comparedAs(String column, ColumnSchema source, ColumnSchema target) {
        if (!source.textual() || target == null || target.charset() == null || target.collation() == null) {
            return column;
        }
        return "CONVERT(" + column + " USING " + target.charset() + ") COLLATE " + target.collation();
    }
}
