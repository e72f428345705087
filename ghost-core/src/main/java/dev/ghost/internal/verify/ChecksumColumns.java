package dev.ghost.internal.verify;

import dev.ghost.internal.sql.Sql;
import dev.ghost.spi.ColumnSchema;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How one copied column is compared: an expression over the original's column and one over the ghost's, whose values
 * are equal exactly when the copy (an assignment of the original's value to the ghost's column) was faithful. Where the
 * ALTER kept the column's type and collation, both sides are the column itself. Where it changed them, the original's
 * value is cast to the new type the way the server's assignment converts it, so the comparison happens under the new
 * column types.
 *
 * @param original the expression over the original table's column
 * @param ghost    the expression over the ghost table's column
 */
public record ChecksumColumns(String original, String ghost) {

    private static final Pattern DECIMAL = Pattern.compile("decimal\\((\\d+),(\\d+)\\)");
    private static final Pattern LENGTH = Pattern.compile("\\((\\d+)\\)");

    /** The two expressions for a column copied from {@code source} (original) to {@code target} (ghost). */
    public static ChecksumColumns of(ColumnSchema source, ColumnSchema target) {
        String from = Sql.quote(source.name());
        String to = Sql.quote(target.name());
        if (sameType(source, target)) {
            return new ChecksumColumns(from, to);
        }
        String type = target.dataType().toLowerCase(Locale.ROOT);
        String columnType = target.columnType().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "tinyint", "smallint", "mediumint", "int", "integer", "bigint" ->
                    new ChecksumColumns("CAST(" + from + " AS " + (target.unsigned() ? "UNSIGNED" : "SIGNED") + ")",
                            to);
            case "decimal", "numeric" -> {
                Matcher m = DECIMAL.matcher(columnType);
                yield m.find() ? new ChecksumColumns("CAST(" + from + " AS DECIMAL(" + m.group(1) + "," + m.group(2)
                        + "))", to) : new ChecksumColumns(from, to);
            }
            case "float" -> new ChecksumColumns("CAST(" + from + " AS FLOAT)", to);
            case "double", "real" -> new ChecksumColumns("CAST(" + from + " AS DOUBLE)", to);
            case "date" -> new ChecksumColumns("CAST(" + from + " AS DATE)", to);
            case "datetime", "timestamp" ->
                    new ChecksumColumns("CAST(" + from + " AS DATETIME(" + target.fractionDigits() + "))", to);
            case "time" -> new ChecksumColumns("CAST(" + from + " AS TIME(" + target.fractionDigits() + "))", to);
            case "char" -> new ChecksumColumns("RTRIM(" + asText(source, from, target.charset()) + ")", to);
            case "varchar", "tinytext", "text", "mediumtext", "longtext", "json" ->
                    new ChecksumColumns(asText(source, from, target.charset()), to);
            // An ENUM or SET stores a label as the list spells it, whatever the case of the value assigned.
            case "enum", "set" -> new ChecksumColumns("LOWER(" + asText(source, from, "utf8mb4") + ")",
                    "LOWER(" + asText(target, to, "utf8mb4") + ")");
            case "binary" -> {
                Matcher m = LENGTH.matcher(columnType);
                yield new ChecksumColumns("CAST(" + from + " AS BINARY" + (m.find() ? "(" + m.group(1) + ")" : "")
                        + ")", to);
            }
            case "varbinary", "tinyblob", "blob", "mediumblob", "longblob" ->
                    new ChecksumColumns("CAST(" + from + " AS BINARY)", to);
            case "bit" -> new ChecksumColumns("CAST(" + from + " AS UNSIGNED)", to + "+0");
            case "year" -> new ChecksumColumns(from + "+0", to + "+0");
            default -> new ChecksumColumns(from, to);
        };
    }

    /** Same type, charset and collation: the copy moves the value unchanged. */
    public static boolean sameType(ColumnSchema source, ColumnSchema target) {
        return source.columnType().equalsIgnoreCase(target.columnType())
                && Objects.equals(source.charset(), target.charset())
                && Objects.equals(source.collation(), target.collation());
    }

    /** The column's value as text in {@code charset}: labels for ENUM and SET, the server's text for the rest. */
    private static String asText(ColumnSchema column, String expression, String charset) {
        String text = column.textual() ? expression : "CAST(" + expression + " AS CHAR)";
        return charset == null ? text : "CONVERT(" + text + " USING " + charset + ")";
    }
}
