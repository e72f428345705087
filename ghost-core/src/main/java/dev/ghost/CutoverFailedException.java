package dev.ghost;

import java.util.List;

/** Every cut-over attempt failed (lock timeouts, killed connections). The original table is in place. */
public class CutoverFailedException extends MigrationFailedException {

    /**
     * Creates the exception for a cut-over that failed every attempt.
     *
     * @param message why the last attempt failed, and what to change
     * @param cause the last attempt's error, or null
     * @param remainingTables the tables ghost created that are still there
     */
    public CutoverFailedException(String message, Throwable cause, List<String> remainingTables) {
        super(message, cause, remainingTables);
    }
}
