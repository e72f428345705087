package dev.ghost;

import java.util.List;

/**
 * gh-ost's {@code --critical-load}: a status variable reached its critical limit (twice, when a second look was
 * asked for), so the migration stopped. The original table is untouched; the tables ghost created are dropped.
 */
public class CriticalLoadException extends MigrationFailedException {

    /** The limit reached, e.g. {@code Threads_running=201 >= 200}. */
    private final String reached;

    /**
     * Creates the exception for a critical-load limit reached.
     *
     * @param message what was reached and that the migration stopped
     * @param reached the limit reached, e.g. {@code Threads_running=201 >= 200}
     * @param remainingTables the tables ghost created that are still there
     */
    public CriticalLoadException(String message, String reached, List<String> remainingTables) {
        super(message, null, remainingTables);
        this.reached = reached;
    }

    /**
     * The limit reached, as gh-ost words it, e.g. {@code Threads_running=201 >= 200}.
     *
     * @return the status variable, its value and the limit
     */
    public String reached() {
        return reached;
    }
}
