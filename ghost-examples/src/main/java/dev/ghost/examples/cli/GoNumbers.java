package dev.ghost.examples.cli;

import java.math.BigInteger;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Number syntax as Go's {@code strconv} reads it for flags ({@code ParseInt(s, 0, 64)}, {@code ParseUint},
 * {@code ParseFloat}): base prefixes {@code 0x 0o 0b}, a leading {@code 0} for octal, and underscores between
 * digits. Java's parsers accept other spellings ({@code 1.5d}, {@code Infinity}) and refuse some of Go's.
 */
final class GoNumbers {

    /** Go's two failures, "parse error" and "value out of range": the words its flag package prints. */
    static final class InvalidNumber extends Exception {
        InvalidNumber(String message) {
            super(message);
        }
    }

    private static final Pattern DECIMAL_FLOAT = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern HEX_FLOAT =
            Pattern.compile("[+-]?0[xX]([0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)[pP][+-]?\\d+");
    private static final Pattern SPECIAL_FLOAT = Pattern.compile("(?i)[+-]?(inf|infinity)|nan");

    private GoNumbers() {
    }

    static long parseInt(String text) throws InvalidNumber {
        boolean negative = !text.isEmpty() && text.charAt(0) == '-';
        boolean signed = !text.isEmpty() && (text.charAt(0) == '-' || text.charAt(0) == '+');
        BigInteger magnitude = unsignedMagnitude(signed ? text.substring(1) : text);
        BigInteger value = negative ? magnitude.negate() : magnitude;
        if (value.bitLength() > 63) {
            throw outOfRange();
        }
        return value.longValue();
    }

    /** The result is the unsigned 64-bit value's bits, as {@link Long#parseUnsignedLong} returns them. */
    static long parseUint(String text) throws InvalidNumber {
        BigInteger value = unsignedMagnitude(text);
        if (value.bitLength() > 64) {
            throw outOfRange();
        }
        return value.longValue();
    }

    static double parseFloat(String text) throws InvalidNumber {
        if (SPECIAL_FLOAT.matcher(text).matches()) {
            String lower = text.toLowerCase(Locale.ROOT);
            return lower.equals("nan") ? Double.NaN
                    : lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (!underscoresOk(text)) {
            throw parseError();
        }
        String plain = text.replace("_", "");
        if (!DECIMAL_FLOAT.matcher(plain).matches() && !HEX_FLOAT.matcher(plain).matches()) {
            throw parseError();
        }
        double value = Double.parseDouble(plain);
        if (Double.isInfinite(value)) {
            throw outOfRange();
        }
        return value;
    }

    /** A default value the way Go's {@code %v} prints it in {@code --help}. */
    static String format(Object value) {
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e21) {
            return Long.toString(d.longValue());
        }
        return String.valueOf(value);
    }

    private static BigInteger unsignedMagnitude(String text) throws InvalidNumber {
        if (text.isEmpty()) {
            throw parseError();
        }
        int radix = 10;
        String digits = text;
        if (text.charAt(0) == '0') {
            char prefix = text.length() >= 3 ? Character.toLowerCase(text.charAt(1)) : '0';
            radix = switch (prefix) {
                case 'x' -> 16;
                case 'o' -> 8;
                case 'b' -> 2;
                default -> 8; // a bare leading zero means octal
            };
            digits = text.substring(prefix == 'x' || prefix == 'o' || prefix == 'b' ? 2 : 1);
        }
        if (!underscoresOk(text)) {
            throw parseError();
        }
        String plain = digits.replace("_", "");
        for (int i = 0; i < plain.length(); i++) {
            if (Character.digit(plain.charAt(i), radix) < 0) {
                throw parseError();
            }
        }
        return plain.isEmpty() ? BigInteger.ZERO : new BigInteger(plain, radix);
    }

    /** Go's rule: an underscore must sit between two digits, or between a base prefix and a digit. */
    private static boolean underscoresOk(String text) {
        String s = !text.isEmpty() && (text.charAt(0) == '+' || text.charAt(0) == '-') ? text.substring(1) : text;
        char saw = '^'; // '^' start, '0' digit or prefix, '_' underscore, '!' anything else
        int i = 0;
        boolean hex = false;
        if (s.length() >= 2 && s.charAt(0) == '0' && "box".indexOf(Character.toLowerCase(s.charAt(1))) >= 0) {
            hex = Character.toLowerCase(s.charAt(1)) == 'x';
            saw = '0';
            i = 2;
        }
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isDigit(c) && c < 128 || hex && "abcdefABCDEF".indexOf(c) >= 0) {
                saw = '0';
            } else if (c == '_') {
                if (saw != '0') {
                    return false;
                }
                saw = '_';
            } else {
                if (saw == '_') {
                    return false;
                }
                saw = '!';
            }
        }
        return saw != '_';
    }

    private static InvalidNumber parseError() {
        return new InvalidNumber("parse error");
    }

    private static InvalidNumber outOfRange() {
        return new InvalidNumber("value out of range");
    }
}
