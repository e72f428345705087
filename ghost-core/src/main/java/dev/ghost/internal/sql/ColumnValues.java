package dev.ghost.internal.sql;

import dev.ghost.spi.ColumnSchema;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/**
 * How a value decoded from the binlog (see {@link dev.ghost.spi.RowsEvent}) is written back in SQL, exactly.
 *
 * <p>Text arrives as the raw bytes of the column's character set. Binding them as {@code CONVERT(? USING cs)} makes
 * the server read them in that character set, with no Java charset tables in between; the server then converts to
 * the ghost column's character set if the ALTER changed it. Everything else binds as itself.
 */
public final class ColumnValues {

    private ColumnValues() {
    }

    /** The SQL expression to write a value of {@code column} with: {@code ?} or {@code CONVERT(? USING cs)}. */
    public static String placeholder(ColumnSchema column) {
        if (column.textual() && column.dataType() != null) {
            switch (column.dataType()) {
                case "enum", "set", "json" -> {
                    return "?"; // delivered as Java strings (labels, JSON text)
                }
                default -> {
                    return "CONVERT(? USING " + column.charset() + ")";
                }
            }
        }
        return "?";
    }

    /**
     * The SQL expression to compare a value of {@code source} (as {@link #placeholder} takes it) with the column
     * {@code target} of another table, e.g. in {@code WHERE target = ...}: text is converted to the target's charset
     * and given its collation explicitly. {@code CONVERT(? USING cs)} alone carries the charset's default collation
     * with the same precedence as the column's, and the server refuses to compare the two ("Illegal mix of
     * collations") when the column has another collation; with it, the comparison follows the column's index.
     *
     * @param target the compared column, or null to compare under the source's own collation
     */
    public static String placeholderComparedTo(ColumnSchema source, ColumnSchema target) {
        String value = placeholder(source);
        if (!value.startsWith("CONVERT(")) {
            return value;
        }
        ColumnSchema compared = target != null && target.charset() != null ? target : source;
        if (!compared.charset().equals(source.charset())) {
            value = "CONVERT(" + value + " USING " + compared.charset() + ")";
        }
        return compared.collation() == null ? value : value + " COLLATE " + compared.collation();
    }

    public static void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.NULL);
        } else if (value instanceof byte[] bytes) {
            statement.setBytes(index, bytes);
        } else if (value instanceof String text) {
            statement.setString(index, text);
        } else if (value instanceof Long number) {
            statement.setLong(index, number);
        } else if (value instanceof Integer number) {
            statement.setLong(index, number);
        } else if (value instanceof BigInteger number) {
            statement.setObject(index, number);
        } else if (value instanceof BigDecimal number) {
            statement.setBigDecimal(index, number);
        } else if (value instanceof Double number) {
            statement.setDouble(index, number);
        } else if (value instanceof Float number) {
            // As its exact double: a float's shortest text form may lie outside FLOAT's range when the server reads
            // it as a double (FLT_MAX prints as 3.4028235E38), and the server would refuse it as out of range.
            statement.setDouble(index, number.doubleValue());
        } else {
            throw new IllegalArgumentException("unsupported value type " + value.getClass().getName()
                    + " (see RowsEvent for the types an EventSource may deliver)");
        }
    }
}
