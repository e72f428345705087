package dev.ghost;

/** The root of every exception ghost throws. Unchecked. */
public class GhostException extends RuntimeException {

    /**
     * Creates an exception without a cause.
     *
     * @param message what went wrong, naming the table, and what to do
     */
    public GhostException(String message) {
        super(message);
    }

    /**
     * Creates an exception caused by another.
     *
     * @param message what went wrong, naming the table, and what to do
     * @param cause the underlying error, e.g. the server's {@link java.sql.SQLException}
     */
    public GhostException(String message, Throwable cause) {
        super(message, cause);
    }
}
