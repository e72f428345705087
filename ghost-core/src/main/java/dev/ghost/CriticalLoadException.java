package dev.ghost;

import java.util.List;

/**
 * gh-ost's {@code --critical-load}: a status variable reached its critical limit (twice, when a second look was
 * asked for), so the migration stopped. The original table is untouched; the tables ghost created are dropped.
 */
public class CriticalLoadException extends MigrationFailedException {

    private final String reached;

    public CriticalLoadException(String message, String reached, List<String> remainingTables) {
        super(message, null, remainingTables);
        this.reached = reached;
    }

    /** The limit reached, as gh-ost words it, e.g. {@code Threads_running=201 >= 200}. */
    public String reached() {
        return reached;
    }
}
