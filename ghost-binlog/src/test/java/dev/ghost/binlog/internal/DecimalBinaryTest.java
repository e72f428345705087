package dev.ghost.binlog.internal;

import com.github.shyiko.mysql.binlog.event.deserialization.AbstractRowsEventDataDeserializer;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class DecimalBinaryTest {

    /** Encodes like the server (decimal2bin): digit groups big-endian, sign bit flipped, negatives inverted. */
    private static byte[] encode(BigDecimal value, int precision, int scale) {
        String digits = value.abs().setScale(scale).unscaledValue().toString();
        digits = "0".repeat(Math.max(0, precision - digits.length())) + digits;
        String integer = digits.substring(0, precision - scale);
        String fraction = digits.substring(precision - scale);
        byte[] out = new byte[DecimalBinary.length(precision, scale)];
        int[] position = {0};
        int leading = integer.length() % 9;
        put(out, position, integer.substring(0, leading), leading);
        for (int i = leading; i < integer.length(); i += 9) {
            put(out, position, integer.substring(i, i + 9), 9);
        }
        int full = fraction.length() / 9 * 9;
        for (int i = 0; i < full; i += 9) {
            put(out, position, fraction.substring(i, i + 9), 9);
        }
        put(out, position, fraction.substring(full), fraction.length() - full);
        out[0] ^= (byte) 0x80;
        if (value.signum() < 0) {
            for (int i = 0; i < out.length; i++) {
                out[i] = (byte) ~out[i];
            }
        }
        return out;
    }

    private static void put(byte[] out, int[] position, String digits, int count) {
        int bytes = new int[] {0, 1, 1, 2, 2, 3, 3, 4, 4, 4}[count];
        long value = digits.isEmpty() ? 0 : Long.parseLong(digits);
        for (int i = bytes - 1; i >= 0; i--) {
            out[position[0] + i] = (byte) value;
            value >>= 8;
        }
        position[0] += bytes;
    }

    @Test
    void agreesWithTheClientAndKeepsTheScale() {
        Random random = new Random(42);
        for (int precision = 1; precision <= 65; precision++) {
            for (int scale = 0; scale <= Math.min(30, precision); scale++) {
                for (int sample = 0; sample < 20; sample++) {
                    BigDecimal value = randomValue(random, precision, scale);
                    byte[] encoded = encode(value, precision, scale);
                    BigDecimal decoded = DecimalBinary.decode(precision, scale, encoded.clone());
                    assertThat(decoded).isEqualTo(value);
                    assertThat(decoded.compareTo(AbstractRowsEventDataDeserializer.asBigDecimal(precision, scale,
                            encoded.clone()))).isZero();
                }
            }
        }
    }

    @Test
    void edges() {
        assertThat(roundTrip("-99999999.99", 10, 2)).isEqualTo("-99999999.99");
        assertThat(roundTrip("0.00", 10, 2)).isEqualTo("0.00");
        assertThat(roundTrip("-0.01", 10, 2)).isEqualTo("-0.01");
        assertThat(roundTrip("999999999999999999", 18, 0)).isEqualTo("999999999999999999");
        assertThat(roundTrip("-0.999999999999999999", 18, 18)).isEqualTo("-0.999999999999999999");
        assertThat(roundTrip("-99999", 5, 0)).isEqualTo("-99999");
    }

    private static String roundTrip(String value, int precision, int scale) {
        return DecimalBinary.decode(precision, scale, encode(new BigDecimal(value), precision, scale)).toPlainString();
    }

    private static BigDecimal randomValue(Random random, int precision, int scale) {
        StringBuilder digits = new StringBuilder();
        int length = 1 + random.nextInt(precision);
        for (int i = 0; i < length; i++) {
            digits.append((char) ('0' + random.nextInt(10)));
        }
        BigDecimal value = new BigDecimal(new java.math.BigInteger(digits.toString()), scale);
        return random.nextBoolean() ? value.negate() : value;
    }
}
