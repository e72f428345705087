package dev.ghost.internal.copy;

import dev.ghost.internal.sql.Sql;
import dev.ghost.internal.table.TableInspector;
import dev.ghost.spi.ColumnSchema;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

/**
 * One column of the key a copy or a checksum walks, with the way its values are read, bound and compared so that
 * {@code >} and {@code <} agree with the order of the index. That is not a given: an ENUM sorts by its position in the
 * list but compares with a string by label; a SET sorts by its bitmask; a BIT bound as bytes, or a DECIMAL or BIGINT
 * bound as text, is compared as a double, and neighbouring values become equal. Any of these skips rows silently.
 * So the walk reads ENUM, SET and BIT as their numbers ({@code col+0}), reads and binds every numeric column as an
 * exact number, binary columns as bytes, and text and temporal columns as the server's own text (compared under the
 * column's collation, as the index is).
 *
 * @param name       the column's name in the walked table
 * @param kind       how its values travel and compare
 * @param domainSize for a small ENUM or SET, the number of values it can hold ({@code 0..domainSize-1}); else 0
 */
public record KeyColumn(String name, Kind kind, int domainSize) {

    /** How a key column's values travel. */
    public enum Kind {
        /** Integers and DECIMAL: read as text, bound as an exact number. */
        NUMBER,
        /**
         * ENUM, SET, BIT and YEAR: read as {@code col+0}, bound as an exact number; the index sorts by that number.
         */
        ORDINAL,
        /** Text and temporal columns: the server's own text, compared under the column's collation. */
        TEXT,
        /** BINARY, VARBINARY, BLOB: raw bytes, compared byte by byte. */
        BYTES
    }

    /**
     * Values an ENUM or SET may hold, above which ranges are written as {@code >} rather than enumerated. The
     * optimizer turns {@code IN (...)} on an ENUM into index ranges, but not {@code >} (a full index scan per chunk).
     */
    static final int MAX_ENUMERATED_DOMAIN = 1024;

    public static KeyColumn of(ColumnSchema column) {
        String type = column.dataType().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "decimal", "numeric" ->
                    new KeyColumn(column.name(), Kind.NUMBER, 0);
            // The driver reads a YEAR as a date ("2021-01-01"); its number is what the index sorts.
            case "year" -> new KeyColumn(column.name(), Kind.ORDINAL, 0);
            case "enum" -> {
                int values = TableInspector.labelCount(column.columnType()) + 1; // 0 is the '' of an invalid value
                yield new KeyColumn(column.name(), Kind.ORDINAL, values <= MAX_ENUMERATED_DOMAIN ? values : 0);
            }
            case "set" -> {
                int members = TableInspector.labelCount(column.columnType());
                yield new KeyColumn(column.name(), Kind.ORDINAL, members <= 10 ? 1 << members : 0);
            }
            case "bit" -> new KeyColumn(column.name(), Kind.ORDINAL, 0);
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" ->
                    new KeyColumn(column.name(), Kind.BYTES, 0);
            default -> new KeyColumn(column.name(), "binary".equals(column.charset()) ? Kind.BYTES : Kind.TEXT, 0);
        };
    }

    /** The expression that reads the column's value for the walk. */
    public String selectExpression() {
        return kind == Kind.ORDINAL ? Sql.quote(name) + "+0" : Sql.quote(name);
    }

    public Object read(ResultSet rows, int index) throws SQLException {
        return switch (kind) {
            case NUMBER, ORDINAL -> {
                String text = rows.getString(index);
                yield text == null ? null : new BigDecimal(text);
            }
            case BYTES -> rows.getBytes(index);
            case TEXT -> rows.getString(index);
        };
    }

    /** Binds a value as {@link #read} gives it: an exact number, bytes, or the server's text. */
    static void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        if (value == null) {
            statement.setNull(index, java.sql.Types.NULL);
        } else if (value instanceof BigDecimal number) {
            statement.setBigDecimal(index, number);
        } else if (value instanceof byte[] bytes) {
            statement.setBytes(index, bytes);
        } else {
            statement.setString(index, value.toString());
        }
    }

    /** Whether comparisons are written as a list of the values on one side (small ENUM and SET). */
    boolean enumerated() {
        return domainSize > 0;
    }
}
