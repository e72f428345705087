package dev.ghost.internal.throttle;

import dev.ghost.GhostException;
import dev.ghost.spi.ThrottleContext;
import dev.ghost.spi.ThrottleDecision;
import dev.ghost.spi.ThrottlePolicy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Evaluates the throttle policies (and the manual throttle) and makes the copy wait while any of them throttles.
 * Only the copy waits: the replay keeps applying the binlog, so the backlog cannot grow without bound and the
 * cut-over never starts far behind. The replay's writes are bounded by the application's own write rate.
 */
public final class Throttler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Throttler.class);
    /** The reason of a throttle commanded through the API or the socket, as gh-ost words it. */
    public static final String COMMANDED = "commanded by user";

    private final List<ThrottlePolicy> policies;
    private final Connection connection;
    private final Supplier<Duration> lag;
    private final Consumer<GhostException> abort;
    private final Object monitor = new Object();
    private volatile boolean manual;
    private volatile String reason; // null when not throttled
    private volatile boolean closed;
    private volatile boolean evaluated; // the first round of checks is done: the copy waits for it
    private Thread thread;

    /**
     * @param connection a connection to the inspected server for the policies; owned (closed) by the throttler.
     *                   May be null when there are no policies.
     */
    public Throttler(List<ThrottlePolicy> policies, Connection connection, Supplier<Duration> lag,
                     Consumer<GhostException> abort) {
        this.policies = List.copyOf(policies);
        this.connection = connection;
        this.lag = lag;
        this.abort = abort;
    }

    /** How long the copy rests after a chunk that took {@code chunkTime}: the longest any policy asks for. */
    public Duration pauseAfterChunk(Duration chunkTime) {
        Duration pause = Duration.ZERO;
        for (ThrottlePolicy policy : policies) {
            Duration asked = policy.pauseAfterChunk(chunkTime);
            if (asked.compareTo(pause) > 0) {
                pause = asked;
            }
        }
        return pause;
    }

    public void start() {
        if (policies.isEmpty()) {
            evaluated = true;
            return;
        }
        thread = new Thread(this::run, "ghost-throttler");
        thread.setDaemon(true);
        thread.start();
    }

    /** Why the copy is paused now, or empty. */
    public Optional<String> reason() {
        String current = reason;
        if (manual) {
            return Optional.of(current == null ? COMMANDED : COMMANDED + ", " + current);
        }
        return Optional.ofNullable(current);
    }

    public void throttleManually(boolean throttled) {
        manual = throttled;
        signal();
    }

    /** Blocks while throttled. */
    public void awaitNotThrottled() throws InterruptedException {
        synchronized (monitor) {
            while (!closed && (!evaluated || manual || reason != null)) {
                monitor.wait(1000);
            }
        }
    }

    private void run() {
        ThrottleContext context = new ThrottleContext() {
            @Override
            public Connection connection() {
                return connection;
            }

            @Override
            public Duration lag() {
                return lag.get();
            }
        };
        int count = policies.size();
        long[] dueAt = new long[count];
        String[] reasons = new String[count]; // each policy's last answer, kept until its next check
        long tick = Math.max(10, policies.stream().mapToLong(ThrottlePolicy::checkIntervalMillis).min().orElse(100));
        while (!closed) {
            for (int i = 0; i < count && !closed; i++) {
                ThrottlePolicy policy = policies.get(i);
                long now = System.nanoTime();
                if (dueAt[i] != 0 && now - dueAt[i] < 0) {
                    continue;
                }
                dueAt[i] = now + TimeUnit.MILLISECONDS.toNanos(Math.max(1, policy.checkIntervalMillis()));
                try {
                    ThrottleDecision decision = policy.evaluate(context);
                    reasons[i] = !decision.throttled() ? null
                            : decision.reason().isEmpty() ? policy.name() : decision.reason();
                } catch (GhostException e) {
                    log.warn("{}: {}", policy.name(), e.getMessage());
                    reason = policy.name();
                    abort.accept(e);
                    closed = true;
                    signal();
                    return;
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // A failing check must not let the copy run unchecked: throttle, and say why.
                    reasons[i] = policy.name() + " failed: " + e.getMessage();
                }
            }
            String next = Arrays.stream(reasons).filter(Objects::nonNull).reduce((a, b) -> a + "; " + b)
                    .orElse(null);
            if (!Objects.equals(next, reason)) {
                log.info(next == null ? "throttling lifted" : "throttling: {}", next);
                reason = next;
                signal();
            }
            if (!evaluated) {
                evaluated = true;
                signal();
            }
            try {
                Thread.sleep(tick); // the policies' own cadence, e.g. a query every 100 ms
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void signal() {
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }

    @Override
    public void close() {
        closed = true;
        signal();
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (connection != null) {
            try {
                connection.close();
            } catch (Exception ignored) {
                // closing at the end; nothing to do
            }
        }
    }
}
