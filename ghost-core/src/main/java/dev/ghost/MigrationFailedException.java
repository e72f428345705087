package dev.ghost;

import java.util.List;

/**
 * The migration started and then failed. The original table is untouched; {@link #remainingTables()} says which of
 * the tables ghost created are still there (kept for inspection, or because dropping them failed).
 */
public class MigrationFailedException extends GhostException {

    private final List<String> remainingTables;

    public MigrationFailedException(String message, Throwable cause, List<String> remainingTables) {
        super(message + (remainingTables.isEmpty() ? "" : " (tables left behind: "
                + String.join(", ", remainingTables) + ")"), cause);
        this.remainingTables = List.copyOf(remainingTables);
    }

    public List<String> remainingTables() {
        return remainingTables;
    }
}
