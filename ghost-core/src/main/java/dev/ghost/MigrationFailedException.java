package dev.ghost;

import java.util.List;

/**
 * The migration started and then failed. The original table is untouched; {@link #remainingTables()} says which of
 * the tables ghost created are still there (kept for inspection, or because dropping them failed).
 */
public class MigrationFailedException extends GhostException {

    /** The tables ghost created that are still there. */
    private final List<String> remainingTables;

    /**
     * Creates the exception for a migration that failed after it started.
     *
     * @param message what failed, naming the table; the remaining tables are appended to it
     * @param cause the underlying error, or null
     * @param remainingTables the tables ghost created that are still there, e.g. {@code _orders_gho}; copied
     */
    public MigrationFailedException(String message, Throwable cause, List<String> remainingTables) {
        super(message + (remainingTables.isEmpty() ? "" : " (tables left behind: "
                + String.join(", ", remainingTables) + ")"), cause);
        this.remainingTables = List.copyOf(remainingTables);
    }

    /**
     * The tables ghost created that are still there, for inspection or a {@code --resume}.
     *
     * @return their names, unmodifiable; empty when ghost removed everything
     */
    public List<String> remainingTables() {
        return remainingTables;
    }
}
