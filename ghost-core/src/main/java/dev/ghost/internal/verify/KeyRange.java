package dev.ghost.internal.verify;

import java.util.Arrays;

/**
 * A range of the walked key: after {@code from} (exclusive) up to {@code to} (inclusive). A null end is open, so the
 * first and last ranges also hold rows beyond the original's first and last key, which exist only in the ghost table.
 */
record KeyRange(Object[] from, Object[] to) {

    static final KeyRange WHOLE_TABLE = new KeyRange(null, null);

    boolean isWholeTable() {
        return from == null && to == null;
    }

    @Override
    public String toString() {
        return "(" + (from == null ? "start" : describe(from)) + " .. " + (to == null ? "end" : describe(to)) + "]";
    }

    private static String describe(Object[] key) {
        StringBuilder text = new StringBuilder();
        for (Object value : key) {
            text.append(text.length() == 0 ? "" : ", ");
            text.append(value instanceof byte[] bytes ? "0x" + hex(bytes) : String.valueOf(value));
        }
        return key.length == 1 ? text.toString() : "(" + text + ")";
    }

    private static String hex(byte[] bytes) {
        StringBuilder hex = new StringBuilder();
        for (byte b : bytes) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyRange range && Arrays.deepEquals(from, range.from)
                && Arrays.deepEquals(to, range.to);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.deepHashCode(from) + Arrays.deepHashCode(to);
    }
}
