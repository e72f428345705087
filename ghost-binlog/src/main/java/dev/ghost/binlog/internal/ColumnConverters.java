package dev.ghost.binlog.internal;

import dev.ghost.spi.ColumnSchema;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;

// Chooses, once per column, the converter from the binlog's raw cell to the contract's value (Debezium style).
final class ColumnConverters {

    private ColumnConverters() {
    }

    /**
     * The converter for one column. Cells arrive already exact from {@link WatchedRowsDeserializer} (integers as
     * signed Longs, temporals as literals, text as bytes); what is left needs the schema: signedness, ENUM and SET
     * labels, BINARY padding, the DECIMAL scale.
     */
    static ValueConverter forColumn(ColumnSchema column) {
        return switch (column.dataType()) {
            case "tinyint" -> column.unsigned() ? unsigned(1) : ValueConverter.IDENTITY;
            case "smallint" -> column.unsigned() ? unsigned(2) : ValueConverter.IDENTITY;
            case "mediumint" -> column.unsigned() ? unsigned(3) : ValueConverter.IDENTITY;
            case "int", "integer" -> column.unsigned() ? unsigned(4) : ValueConverter.IDENTITY;
            case "bigint" -> column.unsigned()
                    ? raw -> UnsignedIntegers.unsignedBigint((Long) raw) : ValueConverter.IDENTITY;
            case "decimal", "numeric" -> withScale(column.fractionDigits());
            case "enum" -> enumLabel(column, TypeLabels.parse(column.columnType()).toArray(String[]::new));
            case "set" -> setLabels(column, TypeLabels.parse(column.columnType()).toArray(String[]::new));
            case "binary" -> zeroPadded(declaredLength(column));
            // BIT(64) fills all 64 bits: a value with the top bit set is no negative number (as the Long holds it).
            case "bit" -> raw -> UnsignedIntegers.unsignedBigint((Long) raw);
            default -> ValueConverter.IDENTITY;
        };
    }

    private static ValueConverter unsigned(int bytes) {
        return raw -> UnsignedIntegers.unsigned((Long) raw, bytes);
    }

    private static ValueConverter withScale(int scale) {
        return raw -> {
            BigDecimal value = (BigDecimal) raw;
            return value.scale() == scale ? value : value.setScale(scale, RoundingMode.UNNECESSARY);
        };
    }

    /** ENUM cells are 1-based indexes; 0 is the empty string the server stores for an invalid value. */
    static ValueConverter enumLabel(ColumnSchema column, String[] labels) {
        return raw -> {
            int index = ((Number) raw).intValue();
            if (index == 0) {
                return "";
            }
            if (index < 0 || index > labels.length) {
                throw new IllegalStateException("ENUM index " + index + " is out of range for column "
                        + column.name() + " " + column.columnType());
            }
            return labels[index - 1];
        };
    }

    /** SET cells are bitmasks, bit i standing for label i; the server lists labels in declaration order. */
    static ValueConverter setLabels(ColumnSchema column, String[] labels) {
        return raw -> {
            long bits = ((Number) raw).longValue();
            if (labels.length < 64 && (bits >>> labels.length) != 0) {
                throw new IllegalStateException("SET bitmask " + Long.toBinaryString(bits)
                        + " has bits beyond the labels of column " + column.name() + " " + column.columnType());
            }
            StringBuilder joined = new StringBuilder();
            for (int i = 0; i < labels.length; i++) {
                if ((bits & (1L << i)) != 0) {
                    if (joined.length() > 0) {
                        joined.append(',');
                    }
                    joined.append(labels[i]);
                }
            }
            return joined.toString();
        };
    }

    /** The binlog drops the trailing zero bytes of BINARY(n); the stored value has all n. */
    static ValueConverter zeroPadded(int length) {
        return raw -> {
            byte[] bytes = (byte[]) raw;
            return bytes.length >= length ? bytes : Arrays.copyOf(bytes, length);
        };
    }

    /** n of {@code binary(n)}; 1 when the type names no length. */
    static int declaredLength(ColumnSchema column) {
        String type = column.columnType();
        int open = type.indexOf('(');
        int close = type.indexOf(')', open + 1);
        if (open < 0 || close < 0) {
            return 1;
        }
        return Integer.parseInt(type.substring(open + 1, close).trim());
    }
}
