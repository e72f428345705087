package dev.ghost;

import java.util.List;

/** The migration was cancelled through {@link RunningMigration#cancel()}. The original table is in place. */
public class MigrationCancelledException extends MigrationFailedException {

    public MigrationCancelledException(String message, List<String> remainingTables) {
        super(message, null, remainingTables);
    }
}
