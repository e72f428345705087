package dev.ghost.binlog.internal;

import java.math.BigInteger;

// Recovers the value of an UNSIGNED integer column, which the binlog hands over as a signed number of the same width.
final class UnsignedIntegers {

    private static final BigInteger TWO_TO_THE_64 = BigInteger.ONE.shiftLeft(64);

    private UnsignedIntegers() {
    }

    /** The unsigned value of a TINYINT (1 byte), SMALLINT (2), MEDIUMINT (3) or INT (4) read as signed. */
    static long unsigned(long signed, int bytes) {
        return signed & ((1L << (8 * bytes)) - 1);
    }

    /** BIGINT UNSIGNED: a Long when it fits, a BigInteger above {@link Long#MAX_VALUE}. */
    static Number unsignedBigint(long signed) {
        return signed >= 0 ? Long.valueOf(signed) : BigInteger.valueOf(signed).add(TWO_TO_THE_64);
    }
}
