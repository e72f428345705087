package dev.ghost.binlog.internal;

import com.github.shyiko.mysql.binlog.event.deserialization.AbstractRowsEventDataDeserializer;

import java.math.BigDecimal;

// Decodes the binary DECIMAL(p,s) of the binlog into a BigDecimal with exactly its scale.
final class DecimalBinary {

    private static final int DIGITS_PER_GROUP = 9;
    private static final int[] BYTES_FOR_DIGITS = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
    private static final long[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000,
            100_000_000, 1_000_000_000};
    /** Up to 18 digits the unscaled value fits a long, which is much faster than BigDecimal arithmetic. */
    private static final int MAX_LONG_PRECISION = 18;

    private DecimalBinary() {
    }

    static int length(int precision, int scale) {
        int integerDigits = precision - scale;
        return (integerDigits / DIGITS_PER_GROUP) * 4 + BYTES_FOR_DIGITS[integerDigits % DIGITS_PER_GROUP]
                + (scale / DIGITS_PER_GROUP) * 4 + BYTES_FOR_DIGITS[scale % DIGITS_PER_GROUP];
    }

    /**
     * The value with exactly {@code scale} fractional digits. Modifies {@code bytes}. The format: groups of 9 digits
     * in 4 big-endian bytes, the leftover digits of each side in 1-4 bytes, the sign bit flipped, negative values
     * with every bit inverted.
     */
    static BigDecimal decode(int precision, int scale, byte[] bytes) {
        if (precision > MAX_LONG_PRECISION) {
            BigDecimal value = AbstractRowsEventDataDeserializer.asBigDecimal(precision, scale, bytes);
            return value.scale() == scale ? value : value.setScale(scale);
        }
        boolean negative = (bytes[0] & 0x80) == 0;
        int invert = negative ? 0xFF : 0;
        bytes[0] ^= (byte) 0x80;
        int integerDigits = precision - scale;
        int offset = 0;
        int leading = BYTES_FOR_DIGITS[integerDigits % DIGITS_PER_GROUP];
        long unscaled = group(bytes, offset, leading, invert);
        offset += leading;
        for (int g = integerDigits / DIGITS_PER_GROUP + scale / DIGITS_PER_GROUP; g > 0; g--, offset += 4) {
            unscaled = unscaled * POWERS_OF_TEN[DIGITS_PER_GROUP] + group(bytes, offset, 4, invert);
        }
        int trailingDigits = scale % DIGITS_PER_GROUP;
        if (trailingDigits > 0) {
            unscaled = unscaled * POWERS_OF_TEN[trailingDigits]
                    + group(bytes, offset, BYTES_FOR_DIGITS[trailingDigits], invert);
        }
        return BigDecimal.valueOf(negative ? -unscaled : unscaled, scale);
    }

    private static long group(byte[] bytes, int offset, int length, int invert) {
        long value = 0;
        for (int i = offset; i < offset + length; i++) {
            value = (value << 8) | ((bytes[i] ^ invert) & 0xFF);
        }
        return value;
    }
}
