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

    public static boolean isRetryable(SQLException e) {
        return e.getErrorCode() == ER_LOCK_DEADLOCK || e.getErrorCode() == ER_LOCK_WAIT_TIMEOUT
                || "40001".equals(e.getSQLState());
    }
}
