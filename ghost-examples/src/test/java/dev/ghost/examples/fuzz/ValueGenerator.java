package dev.ghost.examples.fuzz;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random values of a column type as SQL literals, often edge values: min and max numbers, empty strings, trailing
 * spaces, emoji (utf8mb4 only), NUL characters and 0x00 bytes, the ends of every temporal range, all-zero and all-one
 * bits. Key values are drawn from a dense range, so that inserts collide, key moves meet neighbours, and
 * case-insensitive or pad-space collations find equal keys.
 */
final class ValueGenerator {

    /** Characters every charset here can store; a quote, a backslash and NUL test the escaping paths. */
    private static final String[] COMMON = {"a", "b", "z", "A", "Z", "0", "9", " ", "-", "_", "'", "\\", "\0"};
    /** latin1 (cp1252 on MySQL/MariaDB) beyond ASCII. */
    private static final String[] LATIN1 = {"é", "ñ", "ÿ", "ß", "Ä", "ü", "€"};
    /** utf8mb4 beyond latin1: 3- and 4-byte characters. */
    private static final String[] UTF8MB4 = {"😀", "🚀", "中", "文", "ё", "ï", "€"};

    private final int rows;

    /** @param rows how many rows the table is meant to hold, to size the dense key ranges */
    ValueGenerator(int rows) {
        this.rows = rows;
    }

    /** A value for an insert or update of the column: NULL sometimes when the column allows it. */
    String value(FuzzColumn column, Random random) {
        if (column.nullable() && random.nextInt(10) == 0) {
            return "NULL";
        }
        return literal(column.type(), random, false);
    }

    /** A value for a key column: never NULL, from a range dense enough to collide. */
    String keyValue(FuzzColumn column, Random random) {
        return literal(column.type(), random, true);
    }

    String literal(ColumnType type, Random random, boolean dense) {
        return switch (type.kind()) {
            case TINYINT, SMALLINT, MEDIUMINT, INT, BIGINT -> integer(type, random, dense);
            case DECIMAL -> decimal(type, random, dense);
            case FLOAT -> floating(random, true);
            case DOUBLE -> floating(random, false);
            case BIT -> bits(type.length(), random);
            case YEAR -> pick(random, 8) ? pickOf(random, "0", "1901", "2155")
                    : Integer.toString(1901 + random.nextInt(dense ? 120 : 255));
            // Zero dates only outside keys: the writers' sql_mode allows them, and ghost must keep them as they are.
            case DATE -> !dense && pick(random, 30) ? pickOf(random, "'0000-00-00'", "'2020-00-00'", "'2020-01-00'")
                    : "'" + date(random, dense, 1000, 9999) + "'";
            case TIME -> "'" + time(type.length(), random, dense) + "'";
            case DATETIME -> !dense && pick(random, 30) ? "'0000-00-00 00:00:00'"
                    : "'" + date(random, dense, 1000, 9999) + " " + clock(type.length(), random, dense) + "'";
            // TIMESTAMP literals are read in the writer's time zone: stay clear of 1970 and 2038 at any offset.
            case TIMESTAMP -> "'" + date(random, dense, 1971, 2037) + " " + clock(type.length(), random, dense) + "'";
            case CHAR, VARCHAR -> Sql.string(text(type, random, dense, Math.min(type.length(), dense ? 4 : 40),
                    type.length()));
            case TEXT -> Sql.string(text(type, random, false, 60, 400));
            case BINARY, VARBINARY -> bytes(random, dense ? Math.min(type.length(), 3) : type.length(), dense);
            case BLOB -> pick(random, 20) ? "REPEAT(X'00FF', " + random.nextInt(3000) + ")" : bytes(random, 200, false);
            case ENUM -> Sql.string(type.labels().get(random.nextInt(type.labels().size())));
            case SET -> Sql.string(setValue(type.labels(), random));
            case JSON -> Sql.string(json(random, 0));
        };
    }

    private String integer(ColumnType type, Random random, boolean dense) {
        int bits = 8 * type.kind().integerBytes;
        BigInteger min = type.unsigned() ? BigInteger.ZERO : BigInteger.TWO.pow(bits - 1).negate();
        BigInteger max = type.unsigned() ? BigInteger.TWO.pow(bits).subtract(BigInteger.ONE)
                : BigInteger.TWO.pow(bits - 1).subtract(BigInteger.ONE);
        int choice = random.nextInt(100);
        if (choice < 8) {
            return pickOf(random, min.toString(), max.toString(), "0", "1", type.unsigned() ? "2" : "-1");
        }
        if (dense || choice < 60) {
            // Around zero (and for signed types on both sides of it), within the type's range.
            long span = Math.max(8, 3L * rows);
            long value = random.nextLong(span) - (type.unsigned() ? 0 : span / 3);
            return BigInteger.valueOf(value).max(min).min(max).toString();
        }
        BigInteger value = new BigInteger(bits, random).add(min);
        return value.min(max).toString();
    }

    private String decimal(ColumnType type, Random random, boolean dense) {
        int whole = type.length() - type.scale();
        int choice = random.nextInt(100);
        if (choice < 8) {
            String nines = whole == 0 ? "0" : "9".repeat(whole);
            String fraction = type.scale() == 0 ? "" : "." + "9".repeat(type.scale());
            return pickOf(random, nines + fraction, type.unsigned() ? "0" : "-" + nines + fraction, "0");
        }
        int wholeDigits = dense ? Math.min(whole, 2) : random.nextInt(whole + 1);
        StringBuilder value = new StringBuilder();
        if (!type.unsigned() && random.nextBoolean()) {
            value.append('-');
        }
        value.append(wholeDigits == 0 ? "0" : digits(random, wholeDigits));
        if (type.scale() > 0) {
            value.append('.').append(dense ? digits(random, Math.min(type.scale(), 1)) : digits(random, type.scale()));
        }
        return value.toString();
    }

    private static String digits(Random random, int count) {
        StringBuilder digits = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            digits.append((char) ('0' + random.nextInt(10)));
        }
        return digits.toString();
    }

    private static String floating(Random random, boolean single) {
        if (pick(random, 10)) {
            return single ? pickOf(random, "3.4028234e38", "-3.4028234e38", "1.1754944e-38", "0", "-1.5")
                    : pickOf(random, "1.7976931348623157e308", "-1.7976931348623157e308", "2.2250738585072014e-308",
                    "0", "0.1");
        }
        double value = random.nextGaussian() * Math.pow(10, random.nextInt(single ? 30 : 200) - (single ? 15 : 100));
        return Double.toString(single ? (float) value : value);
    }

    private static String bits(int width, Random random) {
        int choice = random.nextInt(10);
        StringBuilder bits = new StringBuilder("b'");
        for (int i = 0; i < width; i++) {
            bits.append(choice == 0 ? '0' : choice == 1 ? '1' : random.nextBoolean() ? '1' : '0');
        }
        return bits.append('\'').toString();
    }

    private String date(Random random, boolean dense, int firstYear, int lastYear) {
        if (pick(random, 12)) {
            return pickOf(random, firstYear + "-01-01", lastYear + "-12-31", "2024-02-29");
        }
        int year = dense ? 2000 + random.nextInt(3) : firstYear + random.nextInt(lastYear - firstYear + 1);
        return String.format("%04d-%02d-%02d", year, 1 + random.nextInt(12), 1 + random.nextInt(28));
    }

    private static String clock(int fsp, Random random, boolean dense) {
        String clock = pick(random, 10) ? pickOf(random, "00:00:00", "23:59:59")
                : String.format("%02d:%02d:%02d", random.nextInt(24), dense ? 0 : random.nextInt(60),
                random.nextInt(60));
        return clock + fraction(fsp, random, dense);
    }

    private static String time(int fsp, Random random, boolean dense) {
        if (pick(random, 10)) {
            String edge = pickOf(random, "-838:59:59", "838:59:59", "00:00:00", "-00:00:01");
            return edge + (edge.startsWith("-838") || edge.startsWith("838") ? "" : fraction(fsp, random, dense));
        }
        int hours = dense ? random.nextInt(5) : random.nextInt(838);
        String sign = random.nextInt(4) == 0 ? "-" : "";
        return String.format("%s%02d:%02d:%02d", sign, hours, dense ? 0 : random.nextInt(60), random.nextInt(60))
                + fraction(fsp, random, dense);
    }

    /** Exactly fsp digits, so that no server rounds or truncates. */
    private static String fraction(int fsp, Random random, boolean dense) {
        if (fsp == 0) {
            return "";
        }
        if (dense || pick(random, 5)) {
            return "." + pickOf(random, "0".repeat(fsp), "9".repeat(fsp), "0".repeat(fsp - 1) + "1");
        }
        return "." + digits(random, fsp);
    }

    private String text(ColumnType type, Random random, boolean dense, int usualLength, int maxLength) {
        int choice = random.nextInt(100);
        if (choice < 6) {
            return "";
        }
        String[] wide = "utf8mb4".equals(type.charset()) ? UTF8MB4 : LATIN1;
        int length = choice < 10 ? maxLength : random.nextInt(Math.max(1, usualLength) + 1);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(10);
            if (dense) {
                // Few letters in both cases, accents and spaces: case-insensitive and pad-space twins.
                text.append(kind < 7 ? pickOf(random, "a", "A", "b", "B", "ä", "ß", "s") : kind < 9 ? " " : "\0");
            } else {
                text.append(kind < 6 ? pickOf(random, COMMON) : kind < 9 ? pickOf(random, wide)
                        : Character.toString('a' + random.nextInt(26)));
            }
        }
        if (choice < 20 && text.codePointCount(0, text.length()) < maxLength) {
            text.append(' '); // trailing space: PAD SPACE collations compare it away, the bytes keep it
        }
        return text.toString();
    }

    private static String bytes(Random random, int maxLength, boolean dense) {
        int choice = random.nextInt(100);
        if (choice < 5) {
            return "X''";
        }
        int length = choice < 10 ? maxLength : random.nextInt(maxLength + 1);
        StringBuilder hex = new StringBuilder("X'");
        for (int i = 0; i < length; i++) {
            int b = dense ? pickByte(random, 0x00, 0x01, 0x7F, 0x80, 0xFF) : random.nextInt(4) == 0 ? 0 : random.nextInt(256);
            hex.append(String.format("%02X", b));
        }
        return hex.append('\'').toString();
    }

    /** A SET value: a random subset of the labels in declaration order (how the server stores and prints it). */
    static String setValue(List<String> labels, Random random) {
        List<String> members = new ArrayList<>();
        for (String label : labels) {
            if (random.nextInt(3) == 0) {
                members.add(label);
            }
        }
        return String.join(",", members);
    }

    private static String json(Random random, int depth) {
        int choice = random.nextInt(depth > 2 ? 6 : 9);
        return switch (choice) {
            case 0 -> "null";
            case 1 -> random.nextBoolean() ? "true" : "false";
            case 2 -> Long.toString(random.nextLong());
            case 3 -> pickOf(random, "1.5", "-0.25", "1e300", "0");
            case 4, 5 -> jsonString(random);
            case 6, 7 -> {
                StringBuilder object = new StringBuilder("{");
                int members = random.nextInt(4);
                for (int i = 0; i < members; i++) {
                    object.append(i == 0 ? "" : ", ").append("\"k").append(i).append("\": ").append(json(random, depth + 1));
                }
                yield object.append('}').toString();
            }
            default -> {
                StringBuilder array = new StringBuilder("[");
                int elements = random.nextInt(4);
                for (int i = 0; i < elements; i++) {
                    array.append(i == 0 ? "" : ", ").append(json(random, depth + 1));
                }
                yield array.append(']').toString();
            }
        };
    }

    private static String jsonString(Random random) {
        return "\"" + pickOf(random, "", "plain", "😀 ünï", "quote \\\" inside", "nul \\u0000", "tab\\t", "中文")
                + "\"";
    }

    private static boolean pick(Random random, int oneIn) {
        return random.nextInt(oneIn) == 0;
    }

    @SafeVarargs
    private static <T> T pickOf(Random random, T... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static int pickByte(Random random, int... choices) {
        return choices[random.nextInt(choices.length)];
    }
}
