package dev.ghost.examples.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The command line's own output. Like gh-ost: status and summary lines on stdout; notes and errors on stderr in the
 * log format ({@code 2024-05-01 12:00:00 WARN ...}), the same layout {@link LogSetup} gives the engine's log.
 */
final class CliOutput {

    static final String TIMESTAMP_PATTERN = "yyyy-MM-dd HH:mm:ss";
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern(TIMESTAMP_PATTERN);

    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;

    CliOutput(PrintStream out, PrintStream err, Clock clock) {
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    /** A line on stdout: status lines, {@code #} remarks, help. */
    void print(String text) {
        out.println(text);
        out.flush();
    }

    void warn(String message) {
        log("WARN", message);
    }

    /** The end of the run: one line, because wrappers grep for the message after {@code FATAL}. */
    void fatal(String message) {
        log("FATAL", message.strip().replaceAll("\\s*\\R\\s*", " "));
    }

    /** A duration the way gh-ost prints one: {@code 45ms} below a second, else whole seconds like {@code 1h2m3s}. */
    static String duration(Duration duration) {
        if (duration.compareTo(Duration.ofSeconds(1)) < 0) {
            return duration.toMillis() + "ms";
        }
        long seconds = Math.round(duration.toMillis() / 1000.0);
        StringBuilder text = new StringBuilder();
        if (seconds >= 3600) {
            text.append(seconds / 3600).append('h');
        }
        if (seconds >= 60) {
            text.append(seconds % 3600 / 60).append('m');
        }
        return text.append(seconds % 60).append('s').toString();
    }

    /**
     * The last summary line, for benchmarks and capacity planning: the cut-over lock to a tenth of a millisecond (the
     * summary rounds it) and the JVM's peak heap, e.g. {@code # ghost: cut-over lock 12.3 ms; peak heap 87 MB}.
     */
    static String resourceLine(Duration cutoverLock, long peakHeapBytes) {
        return String.format(Locale.ROOT, "# ghost: cut-over lock %.1f ms; peak heap %d MB", cutoverLock.toNanos() / 1e6,
                Math.round(peakHeapBytes / (1024.0 * 1024.0)));
    }

    /** Plain text on stderr, for Go-style usage errors and stack traces. */
    PrintStream err() {
        return err;
    }

    private void log(String level, String message) {
        err.println(LocalDateTime.now(clock).format(TIMESTAMP) + " " + level + " " + message);
        err.flush();
    }
}
