package dev.ghost.internal.control;

import dev.ghost.MigrationState;
import dev.ghost.MigrationStatus;

import java.time.Duration;
import java.util.Locale;

/**
 * Formats a status snapshot the way gh-ost prints its status lines, which operators' scripts parse; ghost's own
 * fields (the copy and replay rates) come after gh-ost's.
 */
public final class StatusLine {

    /** The replay queue's nominal size, shown as the denominator of gh-ost's {@code Backlog: n/1000}. */
    public static final int BACKLOG_DISPLAY_CAPACITY = 1000;

    private StatusLine() {
    }

    public static String format(MigrationStatus s) {
        return String.format(Locale.ROOT,
                "Copy: %d/%d %.1f%%; Applied: %d; Backlog: %d/%d; Time: %s(total), %s(copy); streamer: %s; "
                        + "Lag: %.2fs, HeartbeatLag: %.2fs, State: %s; ETA: %s; "
                        + "Rates: %d rows/s copied, %d events/s applied",
                s.rowsCopied(), Math.max(s.rowEstimate(), s.rowsCopied()), s.copyPercent(), s.eventsApplied(),
                s.backlog(), BACKLOG_DISPLAY_CAPACITY, seconds(s.elapsed()), seconds(s.copyElapsed()),
                s.streamerPosition().isEmpty() ? "N/A" : s.streamerPosition(),
                s.lag().toMillis() / 1000.0, s.lag().toMillis() / 1000.0, stateWord(s), eta(s),
                Math.round(s.copyRate()), Math.round(s.applyRate()));
    }

    /** gh-ost's state words: {@code migrating}, {@code throttled, <reason>}, {@code postponing cut-over}. */
    static String stateWord(MigrationStatus s) {
        if (s.state() == MigrationState.POSTPONED) {
            return "postponing cut-over";
        }
        if (s.throttleReason().isPresent() && !s.state().isTerminal()) {
            return "throttled, " + s.throttleReason().get();
        }
        return switch (s.state()) {
            case NEW, INSPECTING, PREPARING -> "preparing";
            case COPYING, CATCHING_UP -> "migrating";
            case CUTTING_OVER -> "cutting over";
            case CLEANING_UP -> "cleaning up";
            case COMPLETED -> "completed";
            case FAILED -> "failed";
            case CANCELLED -> "cancelled";
            case POSTPONED -> "postponing cut-over";
        };
    }

    private static String eta(MigrationStatus s) {
        if (s.state().ordinal() >= MigrationState.CATCHING_UP.ordinal() && !s.state().isTerminal()) {
            return "due";
        }
        return s.eta().map(StatusLine::seconds).orElse("N/A");
    }

    /** Go-style short durations as gh-ost prints them: {@code 45s}, {@code 3m12s}, {@code 1h2m3s}. */
    static String seconds(Duration d) {
        long total = Math.max(0, d.getSeconds());
        long hours = total / 3600;
        long minutes = (total % 3600) / 60;
        long secs = total % 60;
        if (hours > 0) {
            return hours + "h" + minutes + "m" + secs + "s";
        }
        if (minutes > 0) {
            return minutes + "m" + secs + "s";
        }
        return secs + "s";
    }
}
