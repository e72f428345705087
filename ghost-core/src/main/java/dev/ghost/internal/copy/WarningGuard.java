package dev.ghost.internal.copy;

import java.sql.SQLWarning;
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

    /** The warnings that mean data loss, as {@code code message}; empty when all are expected. */
    public List<String> dataLosing(SQLWarning warnings) {
        List<String> losing = new ArrayList<>();
        for (SQLWarning warning = warnings; warning != null; warning = warning.getNextWarning()) {
            if (!expected(warning.getErrorCode(), warning.getMessage())) {
                losing.add(warning.getErrorCode() + " " + warning.getMessage());
            }
        }
        return losing;
    }

    boolean expected(int code, String message) {
        if (code != ER_DUP_ENTRY || message == null) {
            return false;
        }
        Matcher key = DUPLICATE_KEY.matcher(message);
        return key.find() && harmlessDuplicateKeys.contains(key.group(1).toLowerCase(Locale.ROOT));
    }
}
