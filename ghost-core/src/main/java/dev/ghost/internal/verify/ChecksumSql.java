package dev.ghost.internal.verify;

import dev.ghost.internal.copy.KeyBounds;
import dev.ghost.internal.sql.Sql;
import dev.ghost.spi.ColumnSchema;
import dev.ghost.spi.TableName;

import java.util.ArrayList;
import java.util.List;

/**
 * The statements of the checksum: a row count and an XOR of per-row CRC32s over one key range of the original and of
 * the ghost table, each row hashed from its copied columns (as {@link ChecksumColumns} compares them) and a map of
 * which of them are NULL; and the re-copy of a range that differs.
 */
final class ChecksumSql {

    private final TableName original;
    private final TableName ghost;
    private final String originalKeyName;
    private final String ghostKeyName;
    private final KeyBounds originalKey;
    private final KeyBounds ghostKey;
    private final String originalRowHash;
    private final String ghostRowHash;
    private final String sourceList;
    private final String targetList;

    /**
     * @param ghostKeyName the ghost's index on the key's columns, or null to let the optimizer choose
     * @param ghostKey the same key as {@code originalKey} under the ghost's column names; null when the ghost's key
     *                 columns compare differently (another type or collation), and ranges would not select the same rows
     */
    ChecksumSql(TableName original, TableName ghost, String originalKeyName, String ghostKeyName,
                KeyBounds originalKey, KeyBounds ghostKey, List<ColumnSchema> sources, List<ColumnSchema> targets) {
        this.original = original;
        this.ghost = ghost;
        this.originalKeyName = originalKeyName;
        this.ghostKeyName = ghostKeyName;
        this.originalKey = originalKey;
        this.ghostKey = ghostKey;
        List<String> originalValues = new ArrayList<>();
        List<String> ghostValues = new ArrayList<>();
        List<String> originalNulls = new ArrayList<>();
        List<String> ghostNulls = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            ChecksumColumns pair = ChecksumColumns.of(sources.get(i), targets.get(i));
            originalValues.add("CAST(" + pair.original() + " AS BINARY)");
            ghostValues.add("CAST(" + pair.ghost() + " AS BINARY)");
            originalNulls.add("ISNULL(" + Sql.quote(sources.get(i).name()) + ")");
            ghostNulls.add("ISNULL(" + Sql.quote(targets.get(i).name()) + ")");
        }
        this.originalRowHash = rowHash(originalValues, originalNulls);
        this.ghostRowHash = rowHash(ghostValues, ghostNulls);
        this.sourceList = Sql.columnList(sources.stream().map(ColumnSchema::name).toList());
        this.targetList = Sql.columnList(targets.stream().map(ColumnSchema::name).toList());
    }

    private static String rowHash(List<String> values, List<String> nulls) {
        return "CRC32(CONCAT_WS('#', " + String.join(", ", values) + ", CONCAT(" + String.join(", ", nulls) + ")))";
    }

    /** Whether ranges can be checked apart: the ghost's key compares as the original's does. */
    boolean rangesComparable() {
        return ghostKey != null;
    }

    KeyBounds originalKey() {
        return originalKey;
    }

    KeyBounds ghostKey() {
        return ghostKey;
    }

    /** A statement and the values of its placeholders (key values, bound by the key's columns). */
    record Statement(String sql, List<Object> values) {
    }

    Statement originalChecksum(KeyRange range) {
        return checksum(original, originalKeyName, originalKey, originalRowHash, range);
    }

    Statement ghostChecksum(KeyRange range) {
        return checksum(ghost, ghostKeyName, ghostKey, ghostRowHash, range);
    }

    private static Statement checksum(TableName table, String keyName, KeyBounds key, String rowHash,
                                      KeyRange range) {
        Statement where = where(key, range);
        return new Statement("SELECT COUNT(*), COALESCE(BIT_XOR(" + rowHash + "), 0) FROM " + table.quoted()
                + forceIndex(keyName, range) + where.sql(), where.values());
    }

    /** Each row of the range as its key (text, comma-separated) and its hash, for naming a difference. */
    Statement originalRowHashes(KeyRange range) {
        return rowHashes(original, originalKey, originalRowHash, range);
    }

    Statement ghostRowHashes(KeyRange range) {
        return rowHashes(ghost, ghostKey == null ? originalKey : ghostKey, ghostRowHash, range);
    }

    private Statement rowHashes(TableName table, KeyBounds key, String rowHash, KeyRange range) {
        Statement where = where(key, range);
        return new Statement("SELECT CONCAT_WS(', ', " + key.selectList() + "), " + rowHash + " FROM "
                + table.quoted() + where.sql(), where.values());
    }

    /** Removes the ghost's rows of the range. */
    Statement deleteGhostRange(KeyRange range) {
        Statement where = where(ghostKey, range);
        return new Statement("DELETE FROM " + ghost.quoted() + where.sql(), where.values());
    }

    /** Copies the original's rows of the range again; a plain INSERT, so a row that cannot go in is an error. */
    Statement recopyRange(KeyRange range) {
        Statement where = where(originalKey, range);
        return new Statement("INSERT INTO " + ghost.quoted() + " (" + targetList + ") SELECT " + sourceList + " FROM "
                + original.quoted() + forceIndex(originalKeyName, range) + where.sql() + " LOCK IN SHARE MODE",
                where.values());
    }

    /** The key {@code offset} rows past {@code after} (from the first row when null), in the original. */
    Statement boundaryAfter(Object[] after, int offset) {
        List<Object> values = new ArrayList<>();
        String where = "";
        if (after != null) {
            KeyBounds.Fragment lower = originalKey.after(after, false);
            where = " WHERE " + lower.sql();
            values.addAll(lower.values());
        }
        return new Statement("SELECT " + originalKey.selectList() + " FROM " + original.quoted() + " FORCE INDEX ("
                + Sql.quote(originalKeyName) + ")" + where + " ORDER BY " + originalKey.orderBy(true) + " LIMIT 1 OFFSET "
                + offset, values);
    }

    private static String forceIndex(String keyName, KeyRange range) {
        return range.isWholeTable() || keyName == null ? "" : " FORCE INDEX (" + Sql.quote(keyName) + ")";
    }

    /** The range's bounds: after {@code from} (exclusive) and up to {@code to} (inclusive); an open end is no bound. */
    private static Statement where(KeyBounds key, KeyRange range) {
        List<String> parts = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        if (range.from() != null) {
            KeyBounds.Fragment lower = key.after(range.from(), false);
            parts.add("(" + lower.sql() + ")");
            values.addAll(lower.values());
        }
        if (range.to() != null) {
            KeyBounds.Fragment upper = key.before(range.to(), true);
            parts.add("(" + upper.sql() + ")");
            values.addAll(upper.values());
        }
        return new Statement(parts.isEmpty() ? "" : " WHERE " + String.join(" AND ", parts), values);
    }
}
