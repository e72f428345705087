package dev.ghost;

import java.util.List;

/** Every cut-over attempt failed (lock timeouts, killed connections). The original table is in place. */
public class CutoverFailedException extends MigrationFailedException {

    public CutoverFailedException(String message, Throwable cause, List<String> remainingTables) {
        super(message, cause, remainingTables);
    }
}
