package dev.ghost;

/**
 * A check refused the migration before anything was created: the server, the table or the ALTER cannot be
 * migrated safely as asked. The message names the table and the check, what was found, and how to fix it.
 */
public class PreflightCheckException extends GhostException {

    private final String check;
    private final String table;

    public PreflightCheckException(String check, String table, String message) {
        super(message);
        this.check = check;
        this.table = table;
    }

    public PreflightCheckException(String check, String table, String message, Throwable cause) {
        super(message, cause);
        this.check = check;
        this.table = table;
    }

    /** The name of the check that refused, e.g. {@code binlog-format}. */
    public String check() {
        return check;
    }

    /** The table, {@code schema.table}. */
    public String table() {
        return table;
    }
}
