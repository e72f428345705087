package dev.ghost;

import java.util.List;

/** The migration was cancelled through {@link RunningMigration#cancel()}. The original table is in place. */
public class MigrationCancelledException extends MigrationFailedException {

    /**
     * Creates the exception for a cancelled migration.
     *
     * @param message which migration was cancelled, and in which state
     * @param remainingTables the tables ghost created that could not be dropped
     */
    public MigrationCancelledException(String message, List<String> remainingTables) {
        super(message, null, remainingTables);
    }
}
