package dev.ghost.internal.cutover;

import dev.ghost.spi.CutoverContext;
import dev.ghost.spi.CutoverOutcome;
import dev.ghost.spi.CutoverStrategy;
import dev.ghost.spi.TableName;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What every built-in cut-over shares: sessions whose lock waits time out, and, after an error, the truth about the
 * tables. A dropped connection can hide whether a rename ran; {@link #settle} looks at the tables on a fresh
 * connection and reports a swap that happened as a success, one that did not as the failure, and puts a missing
 * original back in place.
 */
public final class CutoverSupport {

    private static final Logger log = LoggerFactory.getLogger(CutoverSupport.class);
    private static final Duration STATE_CHECK_PATIENCE = Duration.ofSeconds(10);

    /** Where the tables are after an attempt. */
    enum Tables {
        /** The original is in place and the ghost beside it: nothing was swapped. */
        ORIGINAL,
        /** The ghost is the table now and the original is at the old name. */
        SWAPPED,
        /** No table has the original's name (two-step, between its renames). */
        ORIGINAL_MISSING,
        /** Something else, or the server could not be asked. */
        UNKNOWN
    }

    private CutoverSupport() {
    }

    /** The lock timeout in whole seconds, at least 1 (lock_wait_timeout takes seconds). */
    static long timeoutSeconds(CutoverContext context) {
        return Math.max(1, (context.lockTimeout().toMillis() + 999) / 1000);
    }

    /** A new session whose metadata-lock and row-lock waits give up after {@code seconds}. */
    static Connection session(CutoverContext context, long seconds) throws SQLException {
        Connection connection = context.openConnection();
        try {
            execute(connection, "SET SESSION lock_wait_timeout = " + seconds);
            execute(connection, "SET SESSION innodb_lock_wait_timeout = " + seconds);
            return connection;
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    /** MySQL's and MariaDB's ER_LOCK_WAIT_TIMEOUT: a metadata-lock or row-lock wait gave up. */
    static final int LOCK_WAIT_TIMEOUT = 1205;
    /** How many of the oldest open transactions a lock timeout names. */
    private static final int SUSPECTS = 5;

    /**
     * Runs the cut-over's {@code LOCK TABLES} on {@code locker}, whose lock waits end after {@code waitSeconds}. A
     * wait that times out is reported as what it is: the server's own message ("try restarting transaction") points
     * the wrong way, since ghost retries by itself and the operator's move is to find the session holding the table.
     * The sessions whose transactions have been open longer than the wait are named (they may hold it); a
     * {@code LOCK TABLES} of another session's shows in no such list, so the message says where else to look.
     */
    static void lockTables(Connection locker, TableName table, long waitSeconds, String lockTables)
            throws SQLException {
        try {
            execute(locker, lockTables);
        } catch (SQLException e) {
            if (e.getErrorCode() != LOCK_WAIT_TIMEOUT) {
                throw e;
            }
            throw new SQLException("could not lock " + table + " within " + waitSeconds + " s (lock_wait_timeout): "
                    + "another session holds a lock on it: a transaction that used the table and is still open, a "
                    + "LOCK TABLES, or a long statement or DDL on it; " + suspects(locker, waitSeconds)
                    + ". End that session or wait for it (SHOW PROCESSLIST)", e.getSQLState(), e.getErrorCode(), e);
        }
    }

    /** The sessions with transactions open longer than {@code seconds}, oldest first, as a phrase. */
    private static String suspects(Connection connection, long seconds) {
        List<String> found = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT p.ID, p.USER, p.HOST, p.COMMAND, "
                + "TIMESTAMPDIFF(SECOND, t.trx_started, NOW()), LEFT(p.INFO, 80) FROM information_schema.INNODB_TRX t "
                + "JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id "
                + "WHERE t.trx_started <= NOW() - INTERVAL ? SECOND AND p.ID <> CONNECTION_ID() "
                + "ORDER BY t.trx_started LIMIT " + SUSPECTS)) {
            statement.setLong(1, seconds);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String info = rows.getString(6);
                    found.add("session " + rows.getLong(1) + " (" + rows.getString(2) + "@" + rows.getString(3)
                            + ", transaction open " + rows.getLong(5) + " s, " + rows.getString(4)
                            + (info == null ? "" : ": " + info) + ")");
                }
            }
        } catch (SQLException e) {
            // INNODB_TRX needs the PROCESS privilege; the message is useful without the list.
            log.debug("could not list the open transactions: {}", e.getMessage());
            return "the open transactions could not be listed (" + e.getMessage() + ")";
        }
        return found.isEmpty() ? "no transaction has been open that long, so look for a LOCK TABLES or a long "
                + "statement on it" : "transactions open that long: " + String.join(", ", found);
    }

    /**
     * After a failed attempt: returns a success if the tables were swapped after all; completes or undoes a
     * half-done two-step (forward only if {@code replayCaughtUp}); otherwise throws {@code failure}.
     */
    static CutoverOutcome settle(CutoverContext context, Exception failure, long lockedAtNanos, boolean replayCaughtUp)
            throws Exception {
        Tables tables = tables(context);
        switch (tables) {
            case ORIGINAL -> throw failure;
            case SWAPPED -> {
                log.warn("the cut-over of {} reported \"{}\", but the tables were swapped: it succeeded",
                        context.original(), failure.getMessage());
                return new CutoverOutcome(heldSince(lockedAtNanos));
            }
            case ORIGINAL_MISSING -> {
                try (Connection connection = context.openConnection()) {
                    if (replayCaughtUp && exists(connection, context.ghost())) {
                        try {
                            execute(connection, "RENAME TABLE " + context.ghost().quoted() + " TO "
                                    + context.original().quoted());
                            log.warn("the cut-over of {} failed between its renames (\"{}\"); finished it",
                                    context.original(), failure.getMessage());
                            return new CutoverOutcome(heldSince(lockedAtNanos));
                        } catch (SQLException e) {
                            failure.addSuppressed(e);
                        }
                    }
                    execute(connection, "RENAME TABLE " + context.old().quoted() + " TO "
                            + context.original().quoted());
                    log.warn("the cut-over of {} failed between its renames; the original is back in place",
                            context.original());
                } catch (SQLException e) {
                    failure.addSuppressed(e);
                    throw new IllegalStateException("the cut-over of " + context.original() + " failed between its "
                            + "renames and " + context.original() + " could not be put back: the original is "
                            + context.old() + ", the new table " + context.ghost(), failure);
                }
                throw failure;
            }
            default -> throw new IllegalStateException("the cut-over of " + context.original() + " failed (\""
                    + failure.getMessage() + "\") and the state of its tables could not be verified", failure);
        }
    }

    /** Looks at the three names on a fresh connection, retrying for a while if the server does not answer. */
    static Tables tables(CutoverContext context) {
        long deadline = System.nanoTime() + STATE_CHECK_PATIENCE.toNanos();
        while (true) {
            try (Connection connection = context.openConnection()) {
                boolean original = exists(connection, context.original());
                boolean ghost = exists(connection, context.ghost());
                boolean old = exists(connection, context.old());
                if (original && ghost) {
                    return Tables.ORIGINAL;
                }
                if (original && old) {
                    return Tables.SWAPPED;
                }
                return original ? Tables.UNKNOWN : Tables.ORIGINAL_MISSING;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    log.warn("could not check the tables of {}: {}", context.original(), e.getMessage());
                    return Tables.UNKNOWN;
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(200);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return Tables.UNKNOWN;
                }
            }
        }
    }

    static boolean exists(Connection connection, TableName table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM information_schema.TABLES "
                + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            statement.setString(1, table.schema());
            statement.setString(2, table.name());
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1) > 0;
            }
        }
    }

    static Duration heldSince(long lockedAtNanos) {
        return lockedAtNanos == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - lockedAtNanos);
    }

    static long connectionId(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT CONNECTION_ID()")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    static void quietly(Connection connection, String sql) {
        try {
            execute(connection, sql);
        } catch (SQLException e) {
            log.debug("{} failed: {}", sql, e.getMessage());
        }
    }

    /**
     * The strategy used when none is set: atomic, on every server. Not rename-under-lock, even where the server can
     * rename under LOCK TABLES (MySQL 8.0.13+): that one holds {@code LOCK TABLES t WRITE, ghost WRITE} while it
     * waits for the replay to catch up, and the replay writes the ghost table on another session, so under writes it
     * waits on its own lock until the lock timeout, every attempt.
     */
    public static CutoverStrategy defaultStrategy() {
        return new AtomicCutover();
    }

    /** Whether the server can RENAME TABLE a table it holds under LOCK TABLES ... WRITE: MySQL 8.0.13 and later. */
    static boolean renamesUnderLock(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT VERSION(), @@version_comment")) {
            rows.next();
            return renamesUnderLock(rows.getString(1), rows.getString(2));
        }
    }

    /*
     * Found by test (ProbeRenameUnderLock in RenameUnderLockCutoverIT): MariaDB 10.11.19 and 11.4.5 refuse
     * RENAME TABLE under LOCK TABLES with error 1192 ("Can't execute the given command because you have active locked
     * tables"). They accept ALTER TABLE t RENAME TO x under the lock, but sessions queued on t then fail with "table
     * doesn't exist" once the lock is gone, so that is no way to swap safely (it is the two-step cut-over's first
     * half). MySQL allows the rename since 8.0.13.
     */
    static boolean renamesUnderLock(String version, String comment) {
        if ((version + " " + comment).toLowerCase().contains("mariadb")) {
            return false;
        }
        String[] parts = version.split("[^0-9]+");
        int[] numbers = new int[3];
        for (int i = 0; i < 3 && i < parts.length; i++) {
            numbers[i] = parts[i].isEmpty() ? 0 : Integer.parseInt(parts[i]);
        }
        if (numbers[0] != 8) {
            return numbers[0] > 8;
        }
        return numbers[1] > 0 || numbers[2] >= 13;
    }
}
