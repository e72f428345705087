package dev.ghost.spi;

import dev.ghost.internal.throttle.CriticalLoadPolicy;
import dev.ghost.internal.throttle.FlagFilePolicy;
import dev.ghost.internal.throttle.HttpThrottlePolicy;
import dev.ghost.internal.throttle.MaxLagPolicy;
import dev.ghost.internal.throttle.MaxLoadPolicy;
import dev.ghost.internal.throttle.NiceRatioPolicy;
import dev.ghost.internal.throttle.StatusThresholds;
import dev.ghost.internal.throttle.ThrottleQueryPolicy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Decides whether the row copy must pause. Policies compose: while any one throttles, the copy waits, and the status
 * shows every reason at once ({@code throttled, max-load Threads_running=26 >= 25; flag-file /tmp/t}).
 * The engine calls {@link #evaluate} from one thread, each policy about every {@link #checkIntervalMillis()}.
 *
 * <p><b>What throttling pauses.</b> The row copy, and the start of the cut-over (as in gh-ost, none begins while
 * throttled; policies are checked from the copy's start until the cut-over, so {@link #criticalLoad} also stops a
 * migration whose cut-over is postponed). The binlog replay keeps running while throttled, as in gh-ost:
 * its writes are bounded by the application's own write rate (the load is the application's, replayed once), and
 * stopping it would only grow a backlog that must be applied under the cut-over's lock later, and let the binlog
 * the replay still needs be purged. The changelog heartbeat keeps running too, so lag stays measured.
 *
 * <p>The built-ins ({@link #maxLoad}, {@link #criticalLoad}, {@link #maxLag}, {@link #niceRatio},
 * {@link #throttleQuery}, {@link #throttleHttp}) may be changed while the migration runs, through
 * {@code RunningMigration} or gh-ost's socket commands; a migration without one of them gets a disabled one to change.
 */
public interface ThrottlePolicy {

    /**
     * A short name, used in the reason shown to operators.
     *
     * @return e.g. {@code max-load}
     */
    String name();

    /**
     * Whether the copy must pause now. A policy may also stop the migration by throwing a
     * {@link dev.ghost.GhostException} (as {@link #criticalLoad} does); any other exception throttles, with the
     * exception's message as the reason, so that a failing check never lets the copy run unchecked.
     *
     * @param context the throttle connection and the measured lag
     * @return whether to throttle, and why
     * @throws Exception to throttle with its message, or a {@link dev.ghost.GhostException} to stop the migration
     */
    ThrottleDecision evaluate(ThrottleContext context) throws Exception;

    /**
     * How often the engine asks this policy, at least.
     *
     * @return milliseconds; 100 unless overridden
     */
    default long checkIntervalMillis() {
        return 100;
    }

    /**
     * How long the copy rests after a chunk that took {@code chunkTime}; zero for all but {@link #niceRatio}.
     * This is the engine's one deliberate sleep: everything else wakes on events.
     *
     * @param chunkTime how long the chunk just copied took
     * @return the rest before the next chunk
     */
    default Duration pauseAfterChunk(Duration chunkTime) {
        return Duration.ZERO;
    }

    /**
     * gh-ost's {@code --throttle-query}: throttles while the query's first column is greater than zero.
     * The query should be cheap; it runs every 100 ms.
     *
     * @param query a SELECT whose first column is a number
     * @return the policy
     */
    static ThrottlePolicy throttleQuery(String query) {
        Objects.requireNonNull(query, "query");
        return new ThrottleQueryPolicy(query);
    }

    /**
     * gh-ost's {@code --throttle-flag-file}: throttles while the file exists.
     *
     * @param file the flag file, which need not exist yet
     * @return the policy
     */
    static ThrottlePolicy flagFile(Path file) {
        Objects.requireNonNull(file, "file");
        return new FlagFilePolicy(file);
    }

    /**
     * gh-ost's {@code --max-load}, e.g. {@code "Threads_running=25,Threads_connected=500"}: throttles while any
     * global status variable is at or above its limit; the reason reads {@code max-load Threads_running=26 >= 25}.
     * A variable the server does not have throttles (a typo must not mean "no limit").
     *
     * @param thresholds comma-separated {@code Status_variable=limit} pairs
     * @return the policy
     * @throws IllegalArgumentException when the text cannot be read
     */
    static ThrottlePolicy maxLoad(String thresholds) {
        return new MaxLoadPolicy(StatusThresholds.parse(thresholds));
    }

    /**
     * gh-ost's {@code --critical-load}: aborts the migration with a {@link dev.ghost.CriticalLoadException} as soon
     * as a status variable reaches its limit. The original table stays; what ghost created is dropped.
     *
     * @param thresholds comma-separated {@code Status_variable=limit} pairs
     * @return the policy
     * @throws IllegalArgumentException when the text cannot be read
     */
    static ThrottlePolicy criticalLoad(String thresholds) {
        return criticalLoad(thresholds, Duration.ZERO, Duration.ZERO);
    }

    /**
     * gh-ost's {@code --critical-load} with {@code --critical-load-interval-millis} (when the limit is reached, look
     * again after {@code secondLookAfter}; abort only if it is still reached) and
     * {@code --critical-load-hibernate-seconds} (instead of aborting, pause the copy for {@code hibernate}, then go
     * on). Zero durations turn either off.
     *
     * @param thresholds comma-separated {@code Status_variable=limit} pairs
     * @param secondLookAfter how long to wait before looking again; zero aborts at once
     * @param hibernate how long to pause instead of aborting; zero aborts
     * @return the policy
     * @throws IllegalArgumentException when the text cannot be read or a duration is negative
     */
    static ThrottlePolicy criticalLoad(String thresholds, Duration secondLookAfter, Duration hibernate) {
        Objects.requireNonNull(secondLookAfter, "secondLookAfter");
        Objects.requireNonNull(hibernate, "hibernate");
        if (secondLookAfter.isNegative() || hibernate.isNegative()) {
            throw new IllegalArgumentException("critical-load: negative durations");
        }
        return new CriticalLoadPolicy(StatusThresholds.parse(thresholds), secondLookAfter, hibernate);
    }

    /**
     * gh-ost's {@code --max-lag-millis}: throttles while the lag measured through the changelog heartbeat
     * ({@link ThrottleContext#lag()}) exceeds {@code limit}, so that the replay can catch up.
     *
     * @param limit the largest lag that lets the copy go on
     * @return the policy
     */
    static ThrottlePolicy maxLag(Duration limit) {
        Objects.requireNonNull(limit, "limit");
        return new MaxLagPolicy(limit);
    }

    /**
     * gh-ost's {@code --throttle-http}: a HEAD request every 100 ms with a 1 s timeout; throttles on any answer but
     * 200, and when the URL cannot be reached.
     *
     * @param url the URL to check
     * @return the policy
     * @throws IllegalArgumentException when the URL is not an absolute http or https URL with a host
     */
    static ThrottlePolicy throttleHttp(URI url) {
        Objects.requireNonNull(url, "url");
        return throttleHttp(url, Duration.ofMillis(100), Duration.ofSeconds(1), false);
    }

    /**
     * gh-ost's {@code --throttle-http} with {@code --throttle-http-interval-millis},
     * {@code --throttle-http-timeout-millis} and {@code --ignore-http-errors} (an unreachable URL does not throttle).
     * The URL may be null: the check then does nothing until one is set while the migration runs
     * ({@code RunningMigration.throttleHttp}, or gh-ost's socket command {@code throttle-http=<url>}), with these
     * settings.
     *
     * @param url the URL to check, or null for none yet
     * @param interval time between checks, positive
     * @param timeout how long one request may take, positive
     * @param ignoreErrors whether an unreachable URL lets the copy go on
     * @return the policy
     * @throws IllegalArgumentException when the URL is not an absolute http or https URL with a host
     */
    static ThrottlePolicy throttleHttp(URI url, Duration interval, Duration timeout, boolean ignoreErrors) {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        if (interval.isNegative() || interval.isZero() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("throttle-http: interval and timeout must be positive");
        }
        return new HttpThrottlePolicy(url, interval, timeout, ignoreErrors);
    }

    /**
     * gh-ost's {@code --nice-ratio}: after each chunk that took T, the copy rests {@code ratio} × T (0.5: the copy
     * runs about two thirds of the time). It never throttles otherwise.
     *
     * @param ratio the rest as a multiple of the chunk's time, 0 or more
     * @return the policy
     * @throws IllegalArgumentException when the ratio is negative or not a number
     */
    static ThrottlePolicy niceRatio(double ratio) {
        return new NiceRatioPolicy(ratio);
    }
}
