package dev.ghost.internal.check;

import dev.ghost.MigrationFailedException;
import dev.ghost.PreflightCheckException;
import dev.ghost.internal.sql.Backoff;
import dev.ghost.internal.sql.ConnectionOpener;
import dev.ghost.internal.sql.Sql;
import dev.ghost.spi.TableName;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;

/**
 * Refuses a second migration of the same table: a server-side advisory lock, held by a connection of its own for
 * the whole migration, released when that connection closes (even if ghost dies).
 *
 * <p>That connection may die while the migration runs (killed, wait_timeout, network), and the lock with it. So
 * {@link #check()} runs now and then, and right before the cut-over: it asks the server whether this connection
 * still holds the lock; if the connection is gone, it takes the lock again on a new one. If another session took
 * it meanwhile, another migration of the table may be running: the check throws, and this migration stops before
 * its cut-over. Only one session can hold the lock at a time, so two migrations never both pass the check. A server
 * that is restarting refuses connections for a moment: taking the lock again is retried with a bounded backoff.
 */
public final class MigrationLock implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MigrationLock.class);

    private final TableName table;
    private final String name;
    private final ConnectionOpener reopen;
    private Connection connection; // guarded by this

    private MigrationLock(Connection connection, TableName table, ConnectionOpener reopen) {
        this.connection = connection;
        this.table = table;
        this.name = name(table);
        this.reopen = reopen;
    }

    /** The lock's name: hashed, because lock names are limited to 64 characters and table names are not short. */
    public static String name(TableName table) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(table.toString().getBytes(StandardCharsets.UTF_8));
            return "ghost." + HexFormat.of().formatHex(digest, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Takes the lock on {@code connection} (which it then owns) or refuses; never taken again if lost. */
    public static MigrationLock acquire(Connection connection, TableName table) throws SQLException {
        return acquire(connection, table, null);
    }

    /**
     * Takes the lock on {@code connection} (which it then owns) or refuses.
     *
     * @param reopen opens a new connection to take the lock again on when this one is lost; null: never
     */
    public static MigrationLock acquire(Connection connection, TableName table, ConnectionOpener reopen)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT GET_LOCK(?, 0), IS_USED_LOCK(?)")) {
            statement.setString(1, name(table));
            statement.setString(2, name(table));
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                if (rows.getInt(1) != 1) {
                    long holder = rows.getLong(2);
                    connection.close();
                    throw new PreflightCheckException("single-migration", table.toString(), "another migration of "
                            + table.quoted() + " is running (connection " + holder + " holds the lock " + name(table)
                            + "); wait for it to end, or stop it");
                }
            }
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return new MigrationLock(connection, table, reopen);
    }

    /**
     * Proves that the lock is still held: by this connection, or, when it was lost with its connection, again on a
     * new one.
     *
     * @throws MigrationFailedException when another session holds the lock now, or it cannot be taken again
     */
    public synchronized void check() {
        Long holder = null;
        try {
            if (connection != null) {
                try (PreparedStatement statement = connection.prepareStatement(
                        "SELECT IS_USED_LOCK(?) <=> CONNECTION_ID()")) {
                    statement.setString(1, name);
                    try (ResultSet rows = statement.executeQuery()) {
                        if (rows.next() && rows.getBoolean(1)) {
                            return; // held, by us
                        }
                    }
                }
                // The session lives but does not hold the lock (it cannot have released it itself): take it again.
                log.warn("the migration lock {} of {} is no longer held by its session; taking it again", name,
                        table);
            }
        } catch (SQLException e) {
            log.warn("the migration lock of {} was lost with its connection ({}); taking it again", table,
                    e.getMessage());
            Sql.closeQuietly(connection);
            connection = null;
        }
        // A server restart takes the lock's session with it, and the server may need a moment to accept connections
        // again: retried with the reconnect backoff (as the heartbeat's), not given up at the first refusal.
        Backoff reconnects = Backoff.forReconnects();
        while (true) {
            try {
                if (connection == null) {
                    if (reopen == null) {
                        throw lost("its connection was lost", null);
                    }
                    connection = reopen.open();
                }
                try (PreparedStatement statement = connection.prepareStatement(
                        "SELECT GET_LOCK(?, 0), IS_USED_LOCK(?)")) {
                    statement.setString(1, name);
                    statement.setString(2, name);
                    try (ResultSet rows = statement.executeQuery()) {
                        rows.next();
                        if (rows.getInt(1) == 1) {
                            log.info("the migration lock of {} is held again{}", table, reconnects.failures() == 0
                                    ? "" : " after " + reconnects.failures() + " failed attempt(s)");
                            return;
                        }
                        holder = rows.getLong(2);
                    }
                }
                throw lost("another migration of " + table.quoted() + " holds it now (connection " + holder + ")",
                        null);
            } catch (SQLException e) {
                Sql.closeQuietly(connection);
                connection = null;
                if (!reconnects.failed(System.nanoTime())) {
                    throw lost("it could not be taken again (" + reconnects.bound() + "): " + e.getMessage(), e);
                }
                log.warn("could not take the migration lock of {} again ({}); trying again in {} ms", table,
                        e.getMessage(), reconnects.delay().toMillis());
                try {
                    Thread.sleep(reconnects.delay().toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw lost("it could not be taken again: interrupted while waiting to retry", e);
                }
            }
        }
    }

    private MigrationFailedException lost(String why, Throwable cause) {
        return new MigrationFailedException("migration of " + table.quoted() + " stopped: its migration lock " + name
                + " was lost and " + why + ". Two migrations of one table must never run at once, so this one "
                + "stopped before its cut-over; the original table is untouched. Make sure no other migration of "
                + table.quoted() + " runs, then run it again", cause, List.of());
    }

    @Override
    public synchronized void close() {
        if (connection == null) {
            return;
        }
        // Released explicitly, not only by closing: a closed session is ended by the server a moment later, and a
        // migration started right after this one ends must not be refused in that moment.
        try (PreparedStatement release = connection.prepareStatement("SELECT RELEASE_LOCK(?)")) {
            release.setString(1, name);
            release.executeQuery().close();
        } catch (SQLException ignored) {
            // closing the connection below releases it anyway
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the server releases the lock when the session ends anyway
        }
    }
}
