package dev.ghost.internal.apply;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * The value of the replay's key in one row, as the binlog image holds it, compared by content (byte arrays
 * included). Two keys equal here name the same row; two keys that differ may still name the same row under a
 * collation ('a' and 'A'), which the replay's order of phases takes care of (see {@link Replayer}).
 */
final class ReplayKey {

    /** What an entry costs beyond its values: the object, its array, a map node and a pending entry. */
    private static final int ENTRY_OVERHEAD_BYTES = 128;
    /** A boxed number, a date string's characters, an array slot. */
    private static final int VALUE_OVERHEAD_BYTES = 24;

    private final Object[] values;
    private final int hash;

    ReplayKey(Object[] values) {
        this.values = values;
        this.hash = Arrays.deepHashCode(values);
    }

    /** The key of a row image, from the key columns' positions. */
    static ReplayKey of(Object[] image, int[] keyIndexes) {
        Object[] values = new Object[keyIndexes.length];
        for (int i = 0; i < keyIndexes.length; i++) {
            values[i] = image[keyIndexes[i]];
        }
        return new ReplayKey(values);
    }

    Object value(int column) {
        return values[column];
    }

    boolean hasNull() {
        for (Object value : values) {
            if (value == null) {
                return true;
            }
        }
        return false;
    }

    int columns() {
        return values.length;
    }

    /**
     * An estimate of the heap this key takes while it waits, and of the bytes its values add to a statement: what
     * the replay's queue and its statements are bounded by.
     */
    long estimatedBytes() {
        long bytes = ENTRY_OVERHEAD_BYTES;
        for (Object value : values) {
            bytes += VALUE_OVERHEAD_BYTES + valueBytes(value);
        }
        return bytes;
    }

    /** An estimate of the heap a row image takes. */
    static long estimatedBytes(Object[] image) {
        if (image == null) {
            return 0;
        }
        long bytes = 16;
        for (Object value : image) {
            bytes += VALUE_OVERHEAD_BYTES + valueBytes(value);
        }
        return bytes;
    }

    private static long valueBytes(Object value) {
        if (value == null) {
            return 0;
        }
        if (value instanceof byte[] bytes) {
            return bytes.length;
        }
        if (value instanceof String text) {
            return 2L * text.length();
        }
        if (value instanceof BigInteger number) {
            return number.bitLength() / 8 + 1;
        }
        if (value instanceof BigDecimal number) {
            return number.unscaledValue().bitLength() / 8 + 8;
        }
        return 8;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ReplayKey key && hash == key.hash && Arrays.deepEquals(values, key.values);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return Arrays.deepToString(values);
    }
}
