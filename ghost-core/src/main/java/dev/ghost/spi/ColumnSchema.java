package dev.ghost.spi;

/**
 * One column of a table as information_schema describes it.
 *
 * @param name          the column name
 * @param index         0-based position in the table (the index of its value in a row image)
 * @param dataType      lower-case base type, e.g. {@code varchar}, {@code bigint}, {@code datetime}
 * @param columnType    the full type exactly as the server reports it, e.g. {@code bigint(20) unsigned},
 *                      {@code enum('a','B')} (ENUM and SET labels are case-sensitive)
 * @param nullable      whether NULL is allowed
 * @param charset       the character set of a text column ({@code utf8mb4}, {@code latin1}, ...), or null
 * @param generated     a virtual or stored generated column: never written, the server computes it
 * @param fractionDigits fractional-second digits of a temporal column (0..6); the scale of DECIMAL
 * @param collation     the collation of a text column ({@code utf8mb4_bin}, ...), or null when not known or not text
 */
public record ColumnSchema(String name, int index, String dataType, String columnType, boolean nullable,
                           String charset, boolean generated, int fractionDigits, String collation) {

    /**
     * A column whose collation is not known (event sources that do not need it).
     *
     * @param name the column name
     * @param index 0-based position in the table
     * @param dataType lower-case base type, e.g. {@code varchar}
     * @param columnType the full type as the server reports it, e.g. {@code bigint(20) unsigned}
     * @param nullable whether NULL is allowed
     * @param charset the character set of a text column, or null
     * @param generated whether the server computes the column
     * @param fractionDigits fractional-second digits of a temporal column; the scale of DECIMAL
     */
    public ColumnSchema(String name, int index, String dataType, String columnType, boolean nullable,
                        String charset, boolean generated, int fractionDigits) {
        this(name, index, dataType, columnType, nullable, charset, generated, fractionDigits, null);
    }

    /**
     * Whether the numeric column is UNSIGNED: the binlog carries such values as signed, to be read back.
     *
     * @return true when the column type says {@code unsigned}
     */
    public boolean unsigned() {
        return columnType.toLowerCase(java.util.Locale.ROOT).contains("unsigned");
    }

    /**
     * CHAR, VARCHAR, the TEXT family, ENUM and SET: values whose bytes are in {@link #charset()}.
     *
     * @return true when the column has a character set other than {@code binary}
     */
    public boolean textual() {
        return charset != null && !"binary".equals(charset);
    }
}
