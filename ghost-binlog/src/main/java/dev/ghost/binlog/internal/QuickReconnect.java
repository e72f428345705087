package dev.ghost.binlog.internal;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

// Reconnects as soon as the stream lost its connection, rather than at the keep-alive's next check.
final class QuickReconnect {

    /*
     * The keep-alive checks once per keep-alive period whether the last event is older than that period: a dropped
     * connection is restored one to two periods later. Attempts right after the loss close that gap; they resume
     * where the client stood, exactly as the keep-alive would, so the cursor's deduplication is unchanged. A server
     * that restarts refuses connections for a second or two, so one immediate attempt is not enough: they go on,
     * `spacing` apart (at least a second, or a keep-alive period if shorter, so a server that keeps dropping the
     * stream is not hammered), for one keep-alive period; after that the keep-alive alone keeps trying. These
     * attempts do not count against the reconnect budget: the bound on an outage stays the keep-alive's attempts.
     */

    private static final Logger LOG = LoggerFactory.getLogger(QuickReconnect.class);

    private final StopSignal stop;
    private final long spacingNanos;
    private final long windowNanos;
    private final Duration connectTimeout;
    private final ReconnectBudget budget;
    private final AtomicLong lastLoss;
    private final AtomicBoolean retrying = new AtomicBoolean();

    QuickReconnect(StopSignal stop, Duration spacing, Duration window, Duration connectTimeout,
                   ReconnectBudget budget) {
        this.stop = stop;
        this.spacingNanos = spacing.toNanos();
        this.windowNanos = window.toNanos();
        this.connectTimeout = connectTimeout;
        this.budget = budget;
        this.lastLoss = new AtomicLong(System.nanoTime() - spacingNanos);
    }

    static Duration spacing(StreamSettings settings) {
        Duration second = Duration.ofSeconds(1);
        return settings.keepAlive().compareTo(second) < 0 ? settings.keepAlive() : second;
    }

    /** The connection of an established stream is gone: reconnect now, on a thread of its own. */
    void connectionLost(BinaryLogClient client) {
        long now = System.nanoTime();
        long last = lastLoss.get();
        if (stop.isSet() || now - last < spacingNanos || !lastLoss.compareAndSet(last, now)
                || !retrying.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(() -> {
            try {
                reconnect(client, now + windowNanos);
            } finally {
                retrying.set(false);
            }
        }, "ghost-binlog-reconnect");
        thread.setDaemon(true);
        thread.start();
    }

    private void reconnect(BinaryLogClient client, long deadline) {
        for (int attempt = 1; ; attempt++) {
            if (stop.isSet() || client.isConnected()) {
                return;
            }
            try {
                client.connect(connectTimeout.toMillis());
                LOG.info("binlog connection restored at {}:{}{}", client.getBinlogFilename(),
                        client.getBinlogPosition(), attempt == 1 ? "" : " (attempt " + attempt + ")");
                return;
            } catch (Exception e) {
                budget.refund();
                // The keep-alive reconnected first, or the server is not back yet.
                LOG.debug("immediate binlog reconnect attempt {} failed", attempt, e);
            }
            if (System.nanoTime() + spacingNanos - deadline > 0) {
                return; // the keep-alive goes on trying
            }
            try {
                Thread.sleep(spacingNanos / 1_000_000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
