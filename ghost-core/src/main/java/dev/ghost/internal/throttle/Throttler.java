package dev.ghost.internal.throttle;

import dev.ghost.GhostException;
import dev.ghost.MigrationFailedException;
import dev.ghost.internal.sql.Backoff;
import dev.ghost.internal.sql.ConnectionOpener;
import dev.ghost.internal.sql.Sql;
import dev.ghost.spi.ThrottleContext;
import dev.ghost.spi.ThrottleDecision;
import dev.ghost.spi.ThrottlePolicy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
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
 *
 * <p>The policies share one connection. When a check fails and the connection turns out to be dead (killed, timed
 * out, server restarted), it is dropped and reopened with backoff; meanwhile the copy stays throttled with a reason
 * that says so ({@code throttle connection lost: ...; reconnecting}). When it cannot be reopened within the bound,
 * the migration fails: a throttle that can never be checked again must neither hold the copy forever nor let it run
 * unchecked.
 */
public final class Throttler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Throttler.class);
    /** The reason of a throttle commanded through the API or the socket, as gh-ost words it. */
    public static final String COMMANDED = "commanded by user";

    private final List<ThrottlePolicy> policies;
    private final ConnectionOpener opener;
    private final Backoff reconnects;
    private volatile Connection connection; // opened and replaced by the checks' thread; closed by close()
    private final Supplier<Duration> lag;
    private final Consumer<GhostException> abort;
    private final Object monitor = new Object();
    private volatile boolean manual;
    private volatile String reason; // null when not throttled
    private volatile boolean closed;
    private volatile boolean evaluated; // the first round of checks is done: the copy waits for it
    private Thread thread;

    /**
     * @param opener opens the policies' connection to the server ghost writes on, when a check first asks for it and
     *               again after it was lost; the throttler closes it
     */
    public Throttler(List<ThrottlePolicy> policies, ConnectionOpener opener, Supplier<Duration> lag,
                     Consumer<GhostException> abort) {
        this(policies, opener, lag, abort, Backoff.forReconnects());
    }

    Throttler(List<ThrottlePolicy> policies, ConnectionOpener opener, Supplier<Duration> lag,
              Consumer<GhostException> abort, Backoff reconnects) {
        this.policies = List.copyOf(policies);
        this.opener = opener;
        this.lag = lag;
        this.abort = abort;
        this.reconnects = reconnects;
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
                if (connection == null) {
                    try {
                        connection = opener.open();
                    } catch (SQLException e) {
                        throw new ConnectionUnavailable(e);
                    }
                }
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
            long roundStarted = System.nanoTime();
            if (!reconnects.due(roundStarted)) {
                sleep(tick); // waiting to reconnect: the reason says so already
                continue;
            }
            boolean connectionLost = false;
            String lostBecause = null;
            for (int i = 0; i < count && !closed && !connectionLost; i++) {
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
                } catch (ConnectionUnavailable e) {
                    connectionLost = true;
                    lostBecause = e.getCause().getMessage();
                } catch (Exception e) {
                    if (connectionDead(e)) {
                        connectionLost = true;
                        lostBecause = e.getMessage();
                    } else {
                        // A failing check must not let the copy run unchecked: throttle, and say why.
                        reasons[i] = policy.name() + " failed: " + e.getMessage();
                    }
                }
            }
            if (connectionLost) {
                Sql.closeQuietly(connection);
                connection = null;
                if (!reconnects.failed(roundStarted)) {
                    GhostException failure = new MigrationFailedException("the throttle checks lost their "
                            + "connection to the server and could not reopen it (" + reconnects.bound() + "): "
                            + lostBecause + ". The migration stopped before its cut-over; the original table is "
                            + "untouched. Check that the server is reachable and run it again", null, List.of());
                    log.warn("{}", failure.getMessage());
                    reason = "throttle connection lost: " + lostBecause;
                    abort.accept(failure);
                    closed = true;
                    signal();
                    return;
                }
                String lost = "throttle connection lost: " + lostBecause + "; reconnecting in "
                        + reconnects.delay().toMillis() + " ms";
                log.warn("{}", lost);
                reason = lost;
                dueAt = new long[count]; // every check runs again once reconnected
                signal();
                sleep(tick);
                continue;
            }
            if (reconnects.failures() > 0) {
                log.info("throttle connection reopened after {} failed attempt(s)", reconnects.failures());
                reconnects.succeeded();
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
            sleep(tick); // the policies' own cadence, e.g. a query every 100 ms
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            closed = true; // only close() interrupts this thread
        }
    }

    /** Whether a check failed because the connection is gone, rather than because of its own query. */
    private boolean connectionDead(Exception e) {
        if (e instanceof SQLException sql && Sql.isConnectionLost(sql)) {
            return true;
        }
        try {
            return connection != null && !connection.isValid(5);
        } catch (SQLException invalid) {
            return true;
        }
    }

    /** The connection could not be opened for a check: handled like a lost connection. */
    private static final class ConnectionUnavailable extends RuntimeException {
        ConnectionUnavailable(SQLException cause) {
            super(cause);
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
        Sql.closeQuietly(connection);
        connection = null;
    }
}
