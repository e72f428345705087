package dev.ghost.examples.fuzz;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A column type of the fuzz matrix, with its parameters, rendered as SQL by {@link #sql()}.
 *
 * @param kind      the base type
 * @param unsigned  integers and DECIMAL only
 * @param length    CHAR/VARCHAR/BINARY/VARBINARY length, BIT width, DECIMAL precision, fractional-second digits
 * @param scale     DECIMAL scale
 * @param charset   character types, ENUM and SET: {@code latin1} or {@code utf8mb4}; null otherwise
 * @param collation with the charset; null otherwise
 * @param labels    ENUM and SET labels in declaration order (which is also their sort order)
 */
record ColumnType(Kind kind, boolean unsigned, int length, int scale, String charset, String collation,
                  List<String> labels) {

    enum Kind {
        TINYINT(1), SMALLINT(2), MEDIUMINT(3), INT(4), BIGINT(8),
        DECIMAL(0), FLOAT(0), DOUBLE(0), BIT(0), YEAR(0), DATE(0), TIME(0), DATETIME(0), TIMESTAMP(0),
        CHAR(0), VARCHAR(0), TEXT(0), BINARY(0), VARBINARY(0), BLOB(0), ENUM(0), SET(0), JSON(0);

        /** Storage bytes of an integer kind, 0 for the others. */
        final int integerBytes;

        Kind(int integerBytes) {
            this.integerBytes = integerBytes;
        }

        boolean integer() {
            return integerBytes > 0;
        }

        boolean character() {
            return this == CHAR || this == VARCHAR || this == TEXT;
        }

        boolean labelled() {
            return this == ENUM || this == SET;
        }

        boolean temporalWithFraction() {
            return this == TIME || this == DATETIME || this == TIMESTAMP;
        }

        /** Types a unique key may use here: not FLOAT/DOUBLE (inexact), not JSON/TEXT/BLOB (prefix only). */
        boolean keyable() {
            return this != FLOAT && this != DOUBLE && this != JSON && this != TEXT && this != BLOB;
        }
    }

    ColumnType {
        labels = labels == null ? List.of() : List.copyOf(labels);
    }

    static ColumnType of(Kind kind) {
        return new ColumnType(kind, false, 0, 0, null, null, null);
    }

    String sql() {
        String charsetClause = charset == null ? "" : " CHARACTER SET " + charset + " COLLATE " + collation;
        String sign = unsigned ? " UNSIGNED" : "";
        return switch (kind) {
            case TINYINT, SMALLINT, MEDIUMINT, INT, BIGINT -> kind.name() + sign;
            case DECIMAL -> "DECIMAL(" + length + "," + scale + ")" + sign;
            case FLOAT, DOUBLE, YEAR, DATE, BLOB, JSON -> kind.name();
            case BIT, CHAR, VARCHAR, BINARY, VARBINARY -> kind.name() + "(" + length + ")"
                    + (kind.character() ? charsetClause : "");
            case TIME, DATETIME, TIMESTAMP -> kind.name() + (length == 0 ? "" : "(" + length + ")");
            case TEXT -> "TEXT" + charsetClause;
            case ENUM, SET -> kind.name() + "(" + labels.stream().map(Sql::string).collect(Collectors.joining(","))
                    + ")" + charsetClause;
        };
    }

    /**
     * About how many distinct key values {@link ValueGenerator#keyValue} draws for this type (capped), to judge
     * whether a key has room for the table's rows.
     */
    long denseKeyValues(int rows) {
        return switch (kind) {
            case TINYINT -> 256;
            case SMALLINT, MEDIUMINT, INT, BIGINT -> 3L * rows;
            case DECIMAL -> Math.min(200, (long) Math.pow(10, Math.min(length - scale, 2) + Math.min(scale, 1)));
            case BIT -> 1L << Math.min(length, 20);
            case YEAR -> 120;
            case ENUM -> labels.size();
            case SET -> 1L << labels.size();
            case DATE -> 1000;
            case TIME -> 300;
            case DATETIME, TIMESTAMP -> 20_000;
            // Case-insensitive collations fold the dense alphabet: count only what survives that.
            case CHAR, VARCHAR -> length >= 4 ? 600 : 20;
            case BINARY, VARBINARY -> length >= 3 ? 150 : 20;
            default -> 1_000_000;
        };
    }

    ColumnType withLength(int newLength) {
        return new ColumnType(kind, unsigned, newLength, scale, charset, collation, labels);
    }

    ColumnType withKind(Kind newKind) {
        return new ColumnType(newKind, unsigned, length, scale, charset, collation, labels);
    }

    ColumnType withDecimal(int precision, int newScale) {
        return new ColumnType(kind, unsigned, precision, newScale, charset, collation, labels);
    }

    ColumnType withCharset(String newCharset, String newCollation) {
        return new ColumnType(kind, unsigned, length, scale, newCharset, newCollation, labels);
    }

    ColumnType withLabels(List<String> newLabels) {
        return new ColumnType(kind, unsigned, length, scale, charset, collation, newLabels);
    }

    ColumnType withUnsigned(boolean newUnsigned) {
        return new ColumnType(kind, newUnsigned, length, scale, charset, collation, labels);
    }
}
