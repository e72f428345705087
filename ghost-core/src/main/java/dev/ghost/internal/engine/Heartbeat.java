package dev.ghost.internal.engine;

import dev.ghost.MigrationFailedException;
import dev.ghost.internal.changelog.Changelog;
import dev.ghost.internal.sql.Backoff;
import dev.ghost.internal.sql.ConnectionOpener;
import dev.ghost.internal.sql.Sql;
import dev.ghost.spi.TableName;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;

/**
 * Writes the changelog heartbeat, one row every tick (run by a timer), on a connection of its own. Lag is measured
 * with it, so it must not stop quietly: when a write fails, the connection is dropped and reopened with backoff
 * (ticks in between are skipped, so a dead server gets one attempt and one log line per backoff step, not one every
 * 100 ms); when it still fails after the bound, the migration fails, naming the table and the cause.
 */
final class Heartbeat implements Runnable, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

    private final TableName table;
    private final Changelog changelog;
    private final ConnectionOpener opener;
    private final Consumer<Throwable> fail;
    private final Backoff backoff;
    private Connection connection; // touched by the timer's runs only, then by close() once the timer has ended
    private volatile boolean done;

    /**
     * @param fail called once, when the heartbeat gives up: it fails the migration
     */
    Heartbeat(TableName table, Changelog changelog, ConnectionOpener opener, Backoff backoff,
              Consumer<Throwable> fail) {
        this.table = table;
        this.changelog = changelog;
        this.opener = opener;
        this.backoff = backoff;
        this.fail = fail;
    }

    /** One tick: a write, or nothing while waiting to reconnect. */
    @Override
    public void run() {
        long now = System.nanoTime();
        if (done || !backoff.due(now)) {
            return;
        }
        try {
            if (connection == null) {
                connection = opener.open();
                if (backoff.failures() > 0) {
                    log.info("heartbeat of {}: reconnected after {} failed attempt(s)", table, backoff.failures());
                }
            }
            changelog.writeHeartbeat(connection, System.currentTimeMillis());
            backoff.succeeded();
        } catch (SQLException | RuntimeException e) {
            Sql.closeQuietly(connection);
            connection = null;
            if (backoff.failed(now)) {
                log.warn("heartbeat of {} failed ({}); reconnecting in {} ms", table, e.getMessage(),
                        backoff.delay().toMillis());
                return;
            }
            done = true;
            fail.accept(new MigrationFailedException("migration of " + table.quoted() + " stopped: its changelog "
                    + "heartbeat could not be written for " + backoff.failingFor(now).toMillis() / 1000.0 + " s ("
                    + backoff.bound() + "), last error: " + e.getMessage() + ". Without the heartbeat the lag "
                    + "cannot be measured; nothing was cut over. Check that the server is reachable and run the "
                    + "migration again", e, List.of()));
        }
    }

    /** Closes the connection; call once the timer that runs the ticks has ended. */
    @Override
    public void close() {
        done = true;
        Sql.closeQuietly(connection);
        connection = null;
    }
}
