package dev.ghost.internal.engine;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Normalizes the user's ALTER: gh-ost accepts both bare clauses and a full {@code ALTER TABLE name ...}. */
final class AlterText {

    private static final Pattern ALTER_TABLE_PREFIX = Pattern.compile(
            "^\\s*alter\\s+table\\s+(?:`(?:[^`]|``)+`|[\\w$]+)(?:\\s*\\.\\s*(?:`(?:[^`]|``)+`|[\\w$]+))?\\s+",
            Pattern.CASE_INSENSITIVE);

    private AlterText() {
    }

    /** The clauses alone, e.g. {@code ADD COLUMN c INT} for {@code ALTER TABLE t ADD COLUMN c INT}. */
    static String clauses(String alter) {
        String trimmed = alter.trim();
        while (trimmed.endsWith(";")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1).trim();
        }
        Matcher prefix = ALTER_TABLE_PREFIX.matcher(trimmed);
        return prefix.find() ? trimmed.substring(prefix.end()) : trimmed;
    }
}
