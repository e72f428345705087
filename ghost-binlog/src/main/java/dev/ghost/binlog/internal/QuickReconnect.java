package dev.ghost.binlog.internal;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

// Reconnects as soon as the stream lost its connection, rather than at the keep-alive's next check.
final class QuickReconnect {

    /*
     * The keep-alive checks once per keep-alive period whether the last event is older than that period: a dropped
     * connection is restored one to two periods later. One immediate attempt per loss closes that gap; it resumes
     * where the client stood, exactly as the keep-alive would, so the cursor's deduplication is unchanged. Attempts
     * are at least a second (or a keep-alive period, if shorter) apart, so a server that keeps dropping the stream
     * is not hammered; a failed or skipped attempt leaves the loss to the keep-alive, which keeps trying.
     */

    private static final Logger LOG = LoggerFactory.getLogger(QuickReconnect.class);

    private final StopSignal stop;
    private final long spacingNanos;
    private final Duration connectTimeout;
    private final AtomicLong lastAttempt;

    QuickReconnect(StopSignal stop, Duration spacing, Duration connectTimeout) {
        this.stop = stop;
        this.spacingNanos = spacing.toNanos();
        this.connectTimeout = connectTimeout;
        this.lastAttempt = new AtomicLong(System.nanoTime() - spacingNanos);
    }

    static Duration spacing(StreamSettings settings) {
        Duration second = Duration.ofSeconds(1);
        return settings.keepAlive().compareTo(second) < 0 ? settings.keepAlive() : second;
    }

    /** The connection of an established stream is gone: reconnect now, on a thread of its own. */
    void connectionLost(BinaryLogClient client) {
        long now = System.nanoTime();
        long last = lastAttempt.get();
        if (stop.isSet() || now - last < spacingNanos || !lastAttempt.compareAndSet(last, now)) {
            return;
        }
        Thread thread = new Thread(() -> reconnect(client), "ghost-binlog-reconnect");
        thread.setDaemon(true);
        thread.start();
    }

    private void reconnect(BinaryLogClient client) {
        if (stop.isSet() || client.isConnected()) {
            return;
        }
        try {
            client.connect(connectTimeout.toMillis());
            LOG.info("binlog connection restored at {}:{}", client.getBinlogFilename(), client.getBinlogPosition());
        } catch (Exception e) {
            // The keep-alive reconnected first, or the server is not back yet: the keep-alive goes on trying.
            LOG.debug("immediate binlog reconnect failed; the keep-alive retries", e);
        }
    }
}
