package dev.ghost.flyway;

import dev.ghost.GhostException;

import java.sql.SQLException;

/**
 * An online ALTER that ghost refused or could not finish, as a Flyway migration reports it. It is a
 * {@link SQLException} because Flyway puts the message of a Java migration's SQLException into its own error (SQL
 * state, error code, message), whereas any other exception becomes a bare "Migration failed !". Its cause is ghost's
 * {@link GhostException}; nothing of the change is left behind.
 */
public class OnlineAlterException extends SQLException {

    private static final long serialVersionUID = 1L;

    /** SQLSTATE class HY, "general error": the state when the failure did not come from the server. */
    private static final String GENERAL_ERROR = "HY000";

    /**
     * Wraps ghost's exception, with the SQL state and error code of the server's error that caused it, if any.
     *
     * @param cause ghost's exception, whose message becomes this one's
     */
    public OnlineAlterException(GhostException cause) {
        super(cause.getMessage(), sqlState(cause), errorCode(cause), cause);
    }

    /**
     * ghost's exception.
     *
     * @return the cause, with ghost's type (e.g. {@code PreflightCheckException}, {@code DataLossException})
     */
    @Override
    public synchronized GhostException getCause() {
        return (GhostException) super.getCause();
    }

    private static String sqlState(Throwable failure) {
        SQLException server = serverError(failure);
        return server != null && server.getSQLState() != null ? server.getSQLState() : GENERAL_ERROR;
    }

    private static int errorCode(Throwable failure) {
        SQLException server = serverError(failure);
        return server != null ? server.getErrorCode() : 0;
    }

    private static SQLException serverError(Throwable failure) {
        for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }
}
