package dev.ghost.internal.sql;

import dev.ghost.spi.TableName;

import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/** SQL text helpers: identifier quoting, column lists, placeholder lists, retryable errors. */
public final class Sql {

    /** InnoDB deadlock and lock-wait timeout: the statement may simply be run again. */
    private static final int ER_LOCK_DEADLOCK = 1213;
    private static final int ER_LOCK_WAIT_TIMEOUT = 1205;
    /** MariaDB: the session was ended by {@code KILL} while it ran a statement. */
    private static final int ER_CONNECTION_KILLED = 1927;
    /** The server is shutting down (its answer to a statement of a session it is about to end). */
    private static final int ER_SERVER_SHUTDOWN = 1053;

    private Sql() {
    }

    public static String quote(String identifier) {
        return TableName.quote(identifier);
    }

    /** {@code `a`, `b`, `c`} */
    public static String columnList(List<String> columns) {
        return columns.stream().map(Sql::quote).collect(Collectors.joining(", "));
    }

    /** {@code ?, ?, ?} */
    public static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }

    /**
     * Rethrows the failure of a thread that ran statements for the caller, as the caller would have thrown it:
     * SQL errors, interruptions, runtime exceptions and errors as they are, anything else wrapped. Does nothing for
     * null.
     */
    public static void rethrow(Throwable failure) throws SQLException, InterruptedException {
        if (failure instanceof SQLException e) {
            throw e;
        }
        if (failure instanceof InterruptedException e) {
            throw e;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /**
     * Whether the connection that threw {@code e} is gone (killed, timed out, network lost, server restarted): the
     * statement may be run again on a new connection, if it is idempotent. SQLState class 08 is the driver's
     * "connection exception"; a statement interrupted by {@code KILL QUERY} (1317) is not a lost connection: an
     * operator stopped that statement, and ghost does not run it again behind their back.
     */
    public static boolean isConnectionLost(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && (sql.getErrorCode() == ER_CONNECTION_KILLED
                    || sql.getErrorCode() == ER_SERVER_SHUTDOWN
                    || (sql.getSQLState() != null && sql.getSQLState().startsWith("08"))
                    || sql instanceof java.sql.SQLNonTransientConnectionException
                    || sql instanceof java.sql.SQLTransientConnectionException)) {
                return true;
            }
        }
        return false;
    }

    /** Closes a connection that failed or is no longer wanted; a failure to close is of no interest. */
    /** Whether the table exists (information_schema, so that no privilege on the table itself is needed). */
    public static boolean tableExists(java.sql.Connection connection, dev.ghost.spi.TableName table)
            throws SQLException {
        try (java.sql.PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM "
                + "information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            statement.setString(1, table.schema());
            statement.setString(2, table.name());
            try (java.sql.ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    public static void closeQuietly(java.sql.Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException | RuntimeException ignored) {
                // it is being dropped: whatever state it is in, it is not used again
            }
        }
    }

    public static boolean isRetryable(SQLException e) {
        return e.getErrorCode() == ER_LOCK_DEADLOCK || e.getErrorCode() == ER_LOCK_WAIT_TIMEOUT
                || "40001".equals(e.getSQLState());
    }
}
