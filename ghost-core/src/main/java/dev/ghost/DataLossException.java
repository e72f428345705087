package dev.ghost;

import java.util.List;

/**
 * The copy or the replay produced warnings that mean rows or values would be lost in the new table (a unique key
 * added over duplicate values, a value truncated by a narrower type, a character the new charset cannot hold).
 * The migration stopped before the cut-over; the original table is untouched. gh-ost's {@code --panic-on-warnings}.
 */
public class DataLossException extends MigrationFailedException {

    /** The server's warnings that stopped the migration. */
    private final List<String> warnings;

    /**
     * Creates the exception for warnings that mean data loss.
     *
     * @param message which table, what would be lost and how to proceed
     * @param warnings the server's warnings, in gh-ost's form; copied
     * @param remainingTables the tables ghost created that are still there
     */
    public DataLossException(String message, List<String> warnings, List<String> remainingTables) {
        super(message, null, remainingTables);
        this.warnings = List.copyOf(warnings);
    }

    /**
     * The server's warnings, in gh-ost's form, e.g. {@code Warning: Duplicate entry 'a@x' for key 'uk_email' (1062)}
     * or {@code Warning: Data truncated for column 'c' at row 3 (1265)}; the message quotes the first ones.
     *
     * @return the warnings, unmodifiable, in the order the server gave them
     */
    public List<String> warnings() {
        return warnings;
    }
}
