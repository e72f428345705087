package dev.ghost.testkit.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Random values that a column accepts, derived from its type alone, for the fill and the writers: integers across
 * the type's whole range (edges included), decimals within their precision, text within its length in characters
 * and bytes with multi-byte characters where the charset has them, binary bytes, dates and times across their range
 * with the column's fractional digits, ENUM and SET members, JSON documents, and NULL now and then where allowed.
 * Values are Java objects that {@link java.sql.PreparedStatement#setObject} binds as the column expects.
 */
final class ValueGenerator {

    private static final Set<String> INTEGERS = Set.of("tinyint", "smallint", "mediumint", "int", "integer",
            "bigint");
    private static final Set<String> NUMERICS = Set.of("decimal", "numeric", "float", "double", "real", "bit",
            "year");
    private static final Set<String> TEMPORALS = Set.of("date", "datetime", "timestamp", "time");

    /** Characters that stress encodings, by what the charset can hold. */
    private static final String ASCII = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-.,'\"\\%";
    private static final String LATIN1 = "äöüßéèçñÅØ£";
    private static final String BMP = "中文字€Ωлあ";
    private static final String[] ASTRAL = {"😀", "🚀", "𝄞"};

    private final Random random;

    /** @param random the source of randomness; one per thread */
    ValueGenerator(Random random) {
        this.random = random;
    }

    /** Whether a DATA_TYPE is an integer type. */
    static boolean isInteger(String dataType) {
        return INTEGERS.contains(dataType);
    }

    /** Whether a DATA_TYPE is a non-integer number (or BIT, YEAR): compared by value, not bytes. */
    static boolean isNumeric(String dataType) {
        return NUMERICS.contains(dataType);
    }

    /** Whether a DATA_TYPE is a date or time type. */
    static boolean isTemporal(String dataType) {
        return TEMPORALS.contains(dataType);
    }

    /** Whether this generator knows the column's type; others are left to their default (or NULL). */
    static boolean supports(TableShape.Column column) {
        String type = column.dataType();
        return isInteger(type) || isNumeric(type) || isTemporal(type) || column.json() || type.endsWith("char")
                || type.endsWith("text") || type.endsWith("binary") || type.endsWith("blob")
                || Set.of("enum", "set", "json", "uuid", "inet4", "inet6").contains(type);
    }

    /** A value for the column: NULL in about one case in ten where the column takes it. */
    Object next(TableShape.Column column) {
        if (column.nullable() && random.nextInt(10) == 0) {
            return null;
        }
        return nonNull(column);
    }

    /** A value that is never NULL. */
    Object nonNull(TableShape.Column column) {
        String type = column.dataType();
        if (isInteger(type)) {
            return integer(type, column.unsigned());
        }
        if (column.json()) {
            return json();
        }
        return switch (type) {
            case "decimal", "numeric" -> decimal(column.precision(), column.scale(), column.unsigned());
            case "float", "double", "real" -> floating(column);
            case "bit" -> bits(Math.max(1, column.precision()));
            case "year" -> (long) (1901 + random.nextInt(255));
            case "date" -> date();
            case "datetime" -> date() + " " + clock() + fraction(column.fractionDigits());
            // Within TIMESTAMP's range in any session time zone: the writers' sessions are in UTC anyway.
            case "timestamp" -> String.format(Locale.ROOT, "%04d-%02d-%02d %s%s", 1971 + random.nextInt(66),
                    1 + random.nextInt(12), 1 + random.nextInt(28), clock(), fraction(column.fractionDigits()));
            case "time" -> time(column.fractionDigits());
            case "enum" -> pick(members(column.columnType()));
            case "set" -> set(members(column.columnType()));
            // From the seeded source, unlike UUID.randomUUID(), so that a seed replays it.
            case "uuid" -> new java.util.UUID(random.nextLong(), random.nextLong()).toString();
            case "inet4" -> random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                    + random.nextInt(256);
            case "inet6" -> String.format(Locale.ROOT, "2001:db8::%x:%x", random.nextInt(65536), random.nextInt(65536));
            case "binary" -> bytes((int) column.octetMaxLength());
            case "varbinary", "tinyblob", "blob", "mediumblob", "longblob" ->
                    bytes(length(column.octetMaxLength(), 64, 256));
            default -> text(column);
        };
    }

    private Object integer(String type, boolean unsigned) {
        int bits = switch (type) {
            case "tinyint" -> 8;
            case "smallint" -> 16;
            case "mediumint" -> 24;
            case "int", "integer" -> 32;
            default -> 64;
        };
        BigInteger min = unsigned ? BigInteger.ZERO : BigInteger.ONE.shiftLeft(bits - 1).negate();
        BigInteger max = unsigned ? BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                : BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE);
        BigInteger value = switch (random.nextInt(10)) {
            case 0 -> min;
            case 1 -> max;
            case 2, 3, 4 -> BigInteger.valueOf(random.nextInt(1000) - (unsigned ? 0 : 500)).max(min).min(max);
            default -> new BigInteger(bits, random).add(min).min(max);
        };
        return bits == 64 && unsigned ? new BigDecimal(value) : (Object) value.longValueExact();
    }

    private BigDecimal decimal(int precision, int scale, boolean unsigned) {
        int digits = Math.max(1, precision);
        BigInteger limit = BigInteger.TEN.pow(digits); // unscaled values stay below 10^precision
        BigInteger unscaled = random.nextInt(10) == 0 ? limit.subtract(BigInteger.ONE)
                : new BigInteger(limit.bitLength() + 8, random).mod(limit);
        if (!unsigned && random.nextBoolean()) {
            unscaled = unscaled.negate();
        }
        return new BigDecimal(unscaled, Math.max(0, scale));
    }

    private Object floating(TableShape.Column column) {
        if (column.scale() >= 0 && column.precision() > 0) { // FLOAT(M,D): a fixed range, like a decimal
            return decimal(column.precision(), column.scale(), column.unsigned()).doubleValue();
        }
        double magnitude = random.nextDouble() * Math.pow(10, random.nextInt(30) - 10);
        double value = column.unsigned() || random.nextBoolean() ? magnitude : -magnitude;
        return column.dataType().equals("float") ? (double) (float) value : value;
    }

    private byte[] bits(int width) {
        byte[] bytes = new byte[(width + 7) / 8];
        random.nextBytes(bytes);
        int unused = bytes.length * 8 - width;
        bytes[0] &= (byte) (0xFF >>> unused);
        return bytes;
    }

    private String date() {
        int year = random.nextInt(10) == 0 ? (random.nextBoolean() ? 1000 : 9999) : 1900 + random.nextInt(200);
        return String.format(Locale.ROOT, "%04d-%02d-%02d", year, 1 + random.nextInt(12), 1 + random.nextInt(28));
    }

    private String clock() {
        return String.format(Locale.ROOT, "%02d:%02d:%02d", random.nextInt(24), random.nextInt(60), random.nextInt(60));
    }

    private String fraction(int digits) {
        if (digits <= 0) {
            return "";
        }
        StringBuilder fraction = new StringBuilder(".");
        for (int i = 0; i < digits; i++) {
            fraction.append((char) ('0' + random.nextInt(10)));
        }
        return fraction.toString();
    }

    /** TIME spans -838:59:59 to 838:59:59, fractions included only below the edge. */
    private String time(int digits) {
        int hours = random.nextInt(839);
        String value = String.format(Locale.ROOT, "%d:%02d:%02d", hours, random.nextInt(60), random.nextInt(60));
        if (!value.startsWith("838:59:59")) {
            value += fraction(digits);
        }
        return random.nextInt(4) == 0 ? "-" + value : value;
    }

    private String json() {
        return "{\"id\": " + random.nextInt(1_000_000) + ", \"name\": \"" + word(8) + " ü 😀\", \"tags\": [\""
                + word(4) + "\", " + random.nextBoolean() + ", null], \"ratio\": " + random.nextInt(1000) / 8.0 + "}";
    }

    private String word(int length) {
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < length; i++) {
            word.append((char) ('a' + random.nextInt(26)));
        }
        return word.toString();
    }

    private byte[] bytes(int length) {
        byte[] bytes = new byte[Math.max(0, length)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Usually short; now and then the whole length allowed (up to a cap, to keep tests quick). */
    private int length(long max, int usual, int cap) {
        long limit = max < 0 ? cap : Math.min(max, cap);
        if (random.nextInt(20) == 0) {
            return (int) limit;
        }
        return random.nextInt((int) Math.min(limit, usual) + 1);
    }

    private String text(TableShape.Column column) {
        String charset = column.charset() == null ? "utf8mb4" : column.charset().toLowerCase(Locale.ROOT);
        int characters = length(column.charMaxLength(), 40, column.dataType().endsWith("text") ? 300 : 1000);
        StringBuilder text = new StringBuilder();
        boolean astral = charset.startsWith("utf8mb4") || charset.startsWith("utf16") || charset.startsWith("utf32");
        for (int i = 0; i < characters; i++) {
            int kind = random.nextInt(20);
            if (kind == 0 && astral) {
                text.append(ASTRAL[random.nextInt(ASTRAL.length)]);
            } else if (kind == 1 && (charset.startsWith("utf") || charset.equals("ucs2"))) {
                text.append(BMP.charAt(random.nextInt(BMP.length())));
            } else if (kind == 2 && (charset.startsWith("utf") || charset.equals("ucs2") || charset.equals("latin1"))) {
                text.append(LATIN1.charAt(random.nextInt(LATIN1.length())));
            } else {
                text.append(ASCII.charAt(random.nextInt(ASCII.length())));
            }
        }
        return fitBytes(text.toString(), column.octetMaxLength(), charset);
    }

    /** Cuts whole characters off the end until the text fits the column's byte limit (TINYTEXT: 255 bytes). */
    private static String fitBytes(String text, long octets, String charset) {
        if (octets < 0) {
            return text;
        }
        Charset encoding = charset.startsWith("utf8") ? StandardCharsets.UTF_8
                : charset.equals("latin1") ? StandardCharsets.ISO_8859_1
                : charset.equals("ucs2") || charset.startsWith("utf16") ? StandardCharsets.UTF_16BE
                : charset.startsWith("utf32") ? Charset.forName("UTF-32") : StandardCharsets.UTF_8;
        String fitted = text;
        while (fitted.getBytes(encoding).length > octets) {
            fitted = fitted.substring(0, fitted.offsetByCodePoints(0, fitted.codePointCount(0, fitted.length()) - 1));
        }
        return fitted;
    }

    private String pick(List<String> members) {
        return members.get(random.nextInt(members.size()));
    }

    private String set(List<String> members) {
        StringJoiner chosen = new StringJoiner(",");
        for (String member : members) {
            if (random.nextInt(3) == 0) {
                chosen.add(member);
            }
        }
        return chosen.toString();
    }

    /** The members of {@code enum('a','b''c')} or {@code set(...)}, unescaped. */
    static List<String> members(String columnType) {
        List<String> members = new ArrayList<>();
        int i = columnType.indexOf('(') + 1;
        while (i < columnType.length() && columnType.charAt(i) == '\'') {
            StringBuilder member = new StringBuilder();
            i++;
            while (i < columnType.length()) {
                char c = columnType.charAt(i);
                if (c == '\'' && i + 1 < columnType.length() && columnType.charAt(i + 1) == '\'') {
                    member.append('\'');
                    i += 2;
                } else if (c == '\\' && i + 1 < columnType.length()) {
                    member.append(columnType.charAt(i + 1));
                    i += 2;
                } else if (c == '\'') {
                    i++;
                    break;
                } else {
                    member.append(c);
                    i++;
                }
            }
            members.add(member.toString());
            if (i < columnType.length() && columnType.charAt(i) == ',') {
                i++;
            }
        }
        return members;
    }
}
