package dev.ghost.internal.copy;

import dev.ghost.internal.sql.Backoff;
import dev.ghost.internal.sql.Sql;
import dev.ghost.spi.CopyContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A copying thread's connection, reopened when it is lost (killed, timed out, network lost): the chunk that failed
 * is then copied again on the new one. That is safe: a chunk is one {@code INSERT IGNORE ... SELECT} (or a walk's
 * read), so it either committed whole or not at all, and copied again it inserts only the rows still missing; rows
 * the replay wrote meanwhile stay, as they do for any chunk. Reopening is bounded ({@link Backoff#forReconnects()});
 * past the bound the copy fails with the last error. Used by one thread.
 */
final class CopyConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CopyConnection.class);

    private final CopyContext context;
    private Connection connection;
    private Backoff reconnects;

    CopyConnection(CopyContext context) throws SQLException {
        this.context = context;
        this.connection = context.openConnection();
    }

    /** The connection, reopened if the last one was lost. */
    Connection get() throws SQLException {
        if (connection == null) {
            connection = context.openConnection();
            log.info("copy connection of {} reopened; copying the chunk again", context.plan().original());
        }
        return connection;
    }

    /**
     * After {@code e}: when it means the connection is lost, drops it and waits before the next attempt, else
     * rethrows. Throws {@code e} too once reconnecting has failed for too long.
     */
    void retryIfLost(SQLException e) throws SQLException, InterruptedException {
        if (!Sql.isConnectionLost(e)) {
            throw e;
        }
        Sql.closeQuietly(connection);
        connection = null;
        reconnects = reconnects == null ? Backoff.forReconnects() : reconnects;
        if (!reconnects.failed(System.nanoTime())) {
            throw new SQLException("the copy lost its connection to the server and could not reopen it ("
                    + reconnects.bound() + "): " + e.getMessage(), e.getSQLState(), e.getErrorCode(), e);
        }
        log.warn("copy connection of {} lost ({}); copying again on a new connection in {} ms",
                context.plan().original(), e.getMessage(), reconnects.delay().toMillis());
        Thread.sleep(reconnects.delay().toMillis());
    }

    /** After a statement that succeeded: the next loss starts a new count. */
    void succeeded() {
        if (reconnects != null) {
            reconnects.succeeded();
        }
    }

    @Override
    public void close() {
        Sql.closeQuietly(connection);
        connection = null;
    }
}
