package dev.ghost.internal.engine;

import java.math.BigDecimal;
import java.time.Duration;

/** Formats durations like Go's {@code time.Duration.String()}, which gh-ost's log lines (and their parsers) use. */
public final class GoDuration {

    private GoDuration() {
    }

    public static String format(Duration duration) {
        long nanos = duration.toNanos();
        if (nanos == 0) {
            return "0s";
        }
        String sign = nanos < 0 ? "-" : "";
        long abs = Math.abs(nanos);
        if (abs < 1_000) {
            return sign + abs + "ns";
        }
        if (abs < 1_000_000) {
            return sign + decimal(abs, 3) + "µs";
        }
        if (abs < 1_000_000_000) {
            return sign + decimal(abs, 6) + "ms";
        }
        long hours = abs / 3_600_000_000_000L;
        long minutes = (abs / 60_000_000_000L) % 60;
        long secondsNanos = abs % 60_000_000_000L;
        StringBuilder out = new StringBuilder(sign);
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            out.append(minutes).append('m');
        }
        return out.append(decimal(secondsNanos, 9)).append('s').toString();
    }

    private static String decimal(long value, int scale) {
        return new BigDecimal(value).movePointLeft(scale).stripTrailingZeros().toPlainString();
    }
}
