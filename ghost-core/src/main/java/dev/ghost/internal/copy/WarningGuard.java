package dev.ghost.internal.copy;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Sorts a statement's warnings into expected and data-losing. A duplicate on the chunking key is expected (the
 * replay wrote that row first, and it is newer), and so is a duplicate on a unique key the original table already
 * enforces (a row whose change is still in the backlog; its own event will write it). Anything else, such as a
 * duplicate on a unique key the ALTER adds or a truncated value, means the new table would lose data.
 *
 * <p>The server lists at most {@code max_error_count} warnings per statement (64 by default), so a truncation after
 * 64 expected duplicates would go unseen. {@link #dataLosing(Statement, String)} compares the listed warnings with
 * the statement's {@code @@warning_count} and counts any it could not read as data-losing: it cannot tell.
 */
public final class WarningGuard {

    private static final int ER_DUP_ENTRY = 1062;
    /** MariaDB: for key 'name'; MySQL 8: for key 'table.name'. */
    private static final Pattern DUPLICATE_KEY = Pattern.compile("for key '(?:[^']*\\.)?([^'.]+)'");

    private final Set<String> harmlessDuplicateKeys;

    /** @param harmlessDuplicateKeys ghost-table index names on which duplicates are expected */
    public WarningGuard(Set<String> harmlessDuplicateKeys) {
        this.harmlessDuplicateKeys = harmlessDuplicateKeys.stream().map(k -> k.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * The warnings of the statement that just ran on {@code statement} that mean data loss, or that could not be read
     * (first in the list). Call it right after the statement, before its connection runs anything else. Costs a
     * round trip only when the statement had warnings.
     *
     * @param smaller the setting that makes statements smaller, for the advice when warnings could not be read
     */
    public List<String> dataLosing(Statement statement, String smaller) throws SQLException {
        SQLWarning warnings = statement.getWarnings();
        if (warnings == null) {
            return List.of();
        }
        int read = 0;
        for (SQLWarning warning = warnings; warning != null; warning = warning.getNextWarning()) {
            read++;
        }
        List<String> losing = new ArrayList<>();
        try (Statement counts = statement.getConnection().createStatement();
             ResultSet rows = counts.executeQuery("SELECT @@warning_count, @@max_error_count")) {
            rows.next();
            long reported = rows.getLong(1);
            if (reported > read) {
                losing.add(unread(reported, read, rows.getLong(2), smaller));
            }
        }
        losing.addAll(dataLosing(warnings));
        return losing;
    }

    static String unread(long reported, int read, long maxErrorCount, String smaller) {
        return "the warnings could not all be read: the server reported " + reported + " warnings for one statement "
                + "but lists only " + read + " (max_error_count = " + maxErrorCount + "), and the unread ones may "
                + "mean data loss; use " + smaller + ", or raise max_error_count (SET GLOBAL max_error_count = "
                + Math.max(1024, reported) + ")";
    }

    /**
     * The warnings that mean data loss, in gh-ost's form {@code Warning: message (code)}, e.g.
     * {@code Warning: Duplicate entry 'a@x' for key 'uk_email' (1062)}; empty when all are expected.
     */
    public List<String> dataLosing(SQLWarning warnings) {
        List<String> losing = new ArrayList<>();
        for (SQLWarning warning = warnings; warning != null; warning = warning.getNextWarning()) {
            if (!expected(warning.getErrorCode(), warning.getMessage())) {
                losing.add(describe(warning));
            }
        }
        return losing;
    }

    /** As gh-ost prints a warning, which scripts look for: the level, the server's message, the code. */
    static String describe(SQLWarning warning) {
        return "Warning: " + warning.getMessage() + " (" + warning.getErrorCode() + ")";
    }

    boolean expected(int code, String message) {
        if (code != ER_DUP_ENTRY || message == null) {
            return false;
        }
        Matcher key = DUPLICATE_KEY.matcher(message);
        return key.find() && harmlessDuplicateKeys.contains(key.group(1).toLowerCase(Locale.ROOT));
    }
}
