package dev.ghost.binlog.internal;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

// Turns the binary DATE, TIME, DATETIME and TIMESTAMP of the binlog into exact literals, zero dates included.
final class TemporalLiterals {

    private static final long TIME_INT_OFFSET = 0x800000L;
    private static final long DATETIME_INT_OFFSET = 0x8000000000L;
    private static final long[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

    private TemporalLiterals() {
    }

    /** Bytes holding the fractional seconds of a temporal value with {@code fsp} digits. */
    static int fractionBytes(int fsp) {
        return (fsp + 1) / 2;
    }

    /** DATE: 3 little-endian bytes, day in bits 0-4, month in 5-8, year above. */
    static String date(int packed) {
        StringBuilder out = new StringBuilder(10);
        appendDate(out, packed >>> 9, (packed >>> 5) & 15, packed & 31);
        return out.toString();
    }

    /** TIME before MySQL 5.6.4: a signed integer HHMMSS, no fraction. */
    static String timeV1(int signedHhmmss) {
        long value = Math.abs((long) signedHhmmss);
        StringBuilder out = new StringBuilder(10);
        if (signedHhmmss < 0) {
            out.append('-');
        }
        appendTime(out, (int) (value / 10_000), (int) (value / 100 % 100), (int) (value % 100));
        return out.toString();
    }

    /**
     * TIME(fsp) in the 5.6.4 format: 3 big-endian bytes (sign, hour, minute, second, offset by 0x800000) and
     * {@link #fractionBytes} big-endian bytes of fraction. Negative values keep the fraction in reverse order,
     * so that the bytes sort like the values: undo that before splitting the fields.
     */
    static String timeV2(long intPartBytes, long fractionBytes, int fsp) {
        int fractionLength = fractionBytes(fsp);
        long hms = intPartBytes - TIME_INT_OFFSET;
        long packed; // hms << 24 | microseconds, signed
        if (fractionLength == 3) {
            packed = (hms << 24) + fractionBytes;
        } else {
            long fraction = fractionBytes;
            if (hms < 0 && fraction != 0) {
                hms++;
                fraction -= 1L << (8 * fractionLength);
            }
            packed = (hms << 24) + fraction * microsecondsPerFractionUnit(fractionLength);
        }
        boolean negative = packed < 0;
        long magnitude = Math.abs(packed);
        long fields = magnitude >> 24;
        StringBuilder out = new StringBuilder(17);
        if (negative) {
            out.append('-');
        }
        appendTime(out, (int) ((fields >> 12) & 0x3FF), (int) ((fields >> 6) & 0x3F), (int) (fields & 0x3F));
        appendFraction(out, magnitude & 0xFFFFFF, fsp);
        return out.toString();
    }

    /** DATETIME before MySQL 5.6.4: the decimal number YYYYMMDDhhmmss in 8 little-endian bytes. */
    static String datetimeV1(long yyyymmddhhmmss) {
        long date = yyyymmddhhmmss / 1_000_000;
        long time = yyyymmddhhmmss % 1_000_000;
        StringBuilder out = new StringBuilder(19);
        appendDate(out, (int) (date / 10_000), (int) (date / 100 % 100), (int) (date % 100));
        out.append(' ');
        appendTime(out, (int) (time / 10_000), (int) (time / 100 % 100), (int) (time % 100));
        return out.toString();
    }

    /**
     * DATETIME(fsp) in the 5.6.4 format: 5 big-endian bytes (offset by 0x8000000000) holding year*13+month,
     * day, hour, minute, second as bit fields, then the fraction.
     */
    static String datetimeV2(long intPartBytes, long fractionBytes, int fsp) {
        long fields = intPartBytes - DATETIME_INT_OFFSET;
        long yearMonthDay = fields >> 17;
        long yearMonth = yearMonthDay >> 5;
        int hms = (int) (fields & 0x1FFFF);
        StringBuilder out = new StringBuilder(26);
        appendDate(out, (int) (yearMonth / 13), (int) (yearMonth % 13), (int) (yearMonthDay & 31));
        out.append(' ');
        appendTime(out, hms >> 12, (hms >> 6) & 0x3F, hms & 0x3F);
        appendFraction(out, fractionBytes * microsecondsPerFractionUnit(fractionBytes(fsp)), fsp);
        return out.toString();
    }

    /** TIMESTAMP(fsp): seconds since the epoch (0 is the zero timestamp) and the fraction, shown in UTC. */
    static String timestamp(long epochSeconds, long fractionBytes, int fsp) {
        StringBuilder out = new StringBuilder(26);
        if (epochSeconds == 0) {
            out.append("0000-00-00 00:00:00");
        } else {
            LocalDateTime utc = LocalDateTime.ofEpochSecond(epochSeconds, 0, ZoneOffset.UTC);
            appendDate(out, utc.getYear(), utc.getMonthValue(), utc.getDayOfMonth());
            out.append(' ');
            appendTime(out, utc.getHour(), utc.getMinute(), utc.getSecond());
        }
        appendFraction(out, fractionBytes * microsecondsPerFractionUnit(fractionBytes(fsp)), fsp);
        return out.toString();
    }

    /** A fraction stored in 1, 2 or 3 bytes counts hundredths, ten-thousandths or millionths of a second. */
    private static long microsecondsPerFractionUnit(int fractionLength) {
        return switch (fractionLength) {
            case 1 -> 10_000;
            case 2 -> 100;
            default -> 1;
        };
    }

    private static void appendDate(StringBuilder out, int year, int month, int day) {
        appendPadded(out, year, 4);
        out.append('-');
        appendPadded(out, month, 2);
        out.append('-');
        appendPadded(out, day, 2);
    }

    private static void appendTime(StringBuilder out, int hour, int minute, int second) {
        appendPadded(out, hour, 2);
        out.append(':');
        appendPadded(out, minute, 2);
        out.append(':');
        appendPadded(out, second, 2);
    }

    /** Exactly {@code fsp} digits of the microseconds, none (and no dot) when fsp is 0. */
    static void appendFraction(StringBuilder out, long microseconds, int fsp) {
        if (fsp > 0) {
            out.append('.');
            appendPadded(out, microseconds / POWERS_OF_TEN[6 - fsp], fsp);
        }
    }

    /** Left-pads with zeros to {@code width} digits; wider values (hours above 99) keep all their digits. */
    static void appendPadded(StringBuilder out, long value, int width) {
        long limit = 10;
        for (int digits = 1; digits < width; digits++, limit *= 10) {
            if (value < limit) {
                out.append('0');
            }
        }
        out.append(value);
    }
}
