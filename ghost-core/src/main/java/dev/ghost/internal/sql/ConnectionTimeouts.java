package dev.ghost.internal.sql;

import java.time.Duration;
import java.util.Objects;

/**
 * How long ghost waits on the network, per connection role (see {@link ServerConnections.Role}).
 *
 * <p>Every connection gets {@code connect} as its connect timeout. The read (socket) timeout depends on what the
 * connection runs: statements that are short by design (the heartbeat, the throttle checks, the migration lock)
 * get {@code read}, so that a silent network drop is noticed within it and the connection is reopened. The copy and
 * the replay run statements that are short by design too, but that may legitimately wait for row locks (up to the
 * server's innodb_lock_wait_timeout, 50 s by default): they get {@link #batchRead()}, generous, and a statement cut
 * off by it is run again on a new connection (both are idempotent). Everything else may legitimately run for minutes
 * or hours (the deferred index build, the checksum of a large range, an exact row count, dropping a large old table,
 * the cut-over's lock waits, which set their own server-side lock_wait_timeout): no read timeout there, the server's
 * own guards bound them, and TCP keep-alive (on for every connection) finds a peer that vanished.
 *
 * @param connect     the connect timeout of every connection
 * @param read        the read timeout of the connections whose statements are short by design
 * @param waitTimeout the session wait_timeout of every connection; null keeps the server's
 */
public record ConnectionTimeouts(Duration connect, Duration read, Duration waitTimeout) {

    /** Connect within 10 s; a short statement that gets no answer for 30 s is taken for a lost connection. */
    public static final ConnectionTimeouts DEFAULTS = new ConnectionTimeouts(Duration.ofSeconds(10),
            Duration.ofSeconds(30), null);

    /** The copy's and the replay's read timeout is at least this long: above any usual row-lock wait. */
    static final Duration MIN_BATCH_READ = Duration.ofMinutes(5);

    public ConnectionTimeouts {
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(read, "read");
        if (connect.isNegative() || connect.isZero() || read.isNegative() || read.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive: connect " + connect + ", read " + read);
        }
        if (waitTimeout != null && waitTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("wait_timeout must be at least 1 s: " + waitTimeout);
        }
    }

    /**
     * gh-ost's {@code --mysql-timeout}: one value for connecting and reading; null or zero keeps the defaults.
     */
    public static ConnectionTimeouts of(Duration mysqlTimeout, Duration waitTimeout) {
        if (mysqlTimeout == null || mysqlTimeout.isZero()) {
            return new ConnectionTimeouts(DEFAULTS.connect, DEFAULTS.read, waitTimeout);
        }
        return new ConnectionTimeouts(mysqlTimeout, mysqlTimeout, waitTimeout);
    }

    /** The read timeout of the copy and the replay: ten times {@link #read}, and at least five minutes. */
    public Duration batchRead() {
        Duration tenfold = read.multipliedBy(10);
        return tenfold.compareTo(MIN_BATCH_READ) > 0 ? tenfold : MIN_BATCH_READ;
    }
}
