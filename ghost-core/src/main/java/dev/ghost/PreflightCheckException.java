package dev.ghost;

/**
 * A check refused the migration before anything was created: the server, the table or the ALTER cannot be
 * migrated safely as asked. The message names the table and the check, what was found, and how to fix it.
 */
public class PreflightCheckException extends GhostException {

    /** The check that refused, e.g. {@code binlog-format}. */
    private final String check;
    /** The table, {@code schema.table}. */
    private final String table;

    /**
     * Creates the exception for a check that refused.
     *
     * @param check the check's name, e.g. {@code binlog-format}
     * @param table the table, {@code schema.table}
     * @param message what was found and how to fix it
     */
    public PreflightCheckException(String check, String table, String message) {
        super(message);
        this.check = check;
        this.table = table;
    }

    /**
     * Creates the exception for a check that refused because of an error.
     *
     * @param check the check's name, e.g. {@code binlog-format}
     * @param table the table, {@code schema.table}
     * @param message what was found and how to fix it
     * @param cause the server's error that made the check refuse
     */
    public PreflightCheckException(String check, String table, String message, Throwable cause) {
        super(message, cause);
        this.check = check;
        this.table = table;
    }

    /**
     * The name of the check that refused, e.g. {@code binlog-format}.
     *
     * @return the check's name, as the README's pre-flight checks list it
     */
    public String check() {
        return check;
    }

    /**
     * The table, {@code schema.table}.
     *
     * @return the table the check refused
     */
    public String table() {
        return table;
    }
}
